/**
 * The CLI's migrate mode flags, the same on `seed`, `up`, `key` and `warm`: `--migrate '<command>'`
 * (the app's migrate command), `--migrate-hash '<glob>'` (repeatable: the files the key covers) and
 * `--setup '<command>'` (run once after the seed). They run in the current directory.
 */
import type { Command } from 'commander';
import { AquaseedError } from '../core/errors.js';
import type { MigrateSetting } from '../cache/migrate-key.js';

export interface MigrateFlags {
  migrate?: string;
  migrateHash?: string[];
  setup?: string;
}

export function migrateOptions(command: Command): Command {
  return command
    .option('--migrate <command>', "the app's migrate command: run (through the shell, here, with DATABASE_URL and PG*) in an empty database before the farm is seeded into it")
    .option('--migrate-hash <glob>', 'files the --migrate key covers (repeatable): editing one reseeds, nothing else does', collect, [])
    .option('--setup <command>', 'with --migrate: a command run once on the seeded database (an admin user, fixture rows); part of the key');
}

/** The migrate setting the flags name, if any. */
export function migrateSetting(flags: MigrateFlags): MigrateSetting | undefined {
  const hashFiles = flags.migrateHash ?? [];
  if (flags.migrate === undefined) {
    if (hashFiles.length > 0 || flags.setup !== undefined) {
      throw new AquaseedError(
        'AQUASEED_INVALID_OPTION',
        `${hashFiles.length > 0 ? '--migrate-hash' : '--setup'} needs --migrate '<command>', the app's migrate command`,
        "add it, e.g. --migrate 'python3 manage.py migrate --noinput' --migrate-hash '*/migrations/*.py'",
      );
    }
    return undefined;
  }
  return {
    command: flags.migrate,
    ...(flags.setup !== undefined ? { setup: flags.setup } : {}),
    ...(hashFiles.length > 0 ? { hashFiles } : {}),
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
