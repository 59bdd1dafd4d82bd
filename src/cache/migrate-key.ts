/**
 * The part of a template's cache key that the app's own schema contributes (the `migrate`
 * setting): sha256 over the migrate command, the setup command, the variables given to them, and
 * the content of the files `hashFiles` matches (each file's path relative to `cwd` and its bytes,
 * in path order). Editing a migration changes the key, and so reseeds; editing any other file
 * does not. Nothing about the machine goes in: no absolute paths, no times, no inherited variables.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { glob } from 'tinyglobby';
import { AquaseedError } from '../core/errors.js';
import { canonicalJson } from './key.js';

export interface MigrateSetting {
  /** The shell command that creates the app's schema in an empty database. */
  command: string;
  /** A command run once after the seed, on the template (an admin user, the app's fixture rows). */
  setup?: string;
  /** Directory both run in, and `hashFiles` is matched from (default the current one). */
  cwd?: string;
  /** Variables for both commands, over DATABASE_URL and PG*. Part of the key. */
  env?: Record<string, string>;
  /** Glob patterns (relative to cwd) of the files the schema depends on: migrations, models. */
  hashFiles?: string | readonly string[];
  /** Milliseconds each command may take before it is stopped and fails (default 10 minutes). Not part of the key. */
  timeoutMs?: number;
}

export interface MigrateKey {
  /** sha256 hex. */
  key: string;
  /** The files hashed, relative to cwd with forward slashes, in the order hashed. */
  files: string[];
}

export async function migrateKey(migrate: MigrateSetting): Promise<MigrateKey> {
  const cwd = resolve(migrate.cwd ?? '.');
  const patterns = migrate.hashFiles === undefined ? [] : typeof migrate.hashFiles === 'string' ? [migrate.hashFiles] : [...migrate.hashFiles];
  const files = new Set<string>();
  for (const pattern of patterns) {
    if (typeof pattern !== 'string' || pattern.trim() === '') {
      throw new AquaseedError('AQUASEED_INVALID_OPTION', `migrate.hashFiles must hold glob patterns, got ${JSON.stringify(pattern)}`, "e.g. hashFiles: ['*/migrations/*.py']");
    }
    const matched = await glob(pattern, { cwd, onlyFiles: true, expandDirectories: false });
    if (matched.length === 0) {
      // A pattern that matches nothing leaves the key blind to the files it was meant to cover.
      throw new AquaseedError(
        'AQUASEED_INVALID_OPTION',
        `migrate.hashFiles pattern ${JSON.stringify(pattern)} matches no file under ${cwd}`,
        'fix the pattern (it is relative to migrate.cwd), or remove it',
      );
    }
    for (const file of matched) files.add(file.split(sep).join('/'));
  }
  const sorted = [...files].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const hash = createHash('sha256');
  hash.update(canonicalJson({ migrate: migrate.command, setup: migrate.setup ?? null, env: migrate.env ?? {} }));
  for (const file of sorted) {
    const bytes = await readFile(resolve(cwd, file));
    // Length-prefixed, so no two different sets of (path, bytes) hash the same stream.
    hash.update(`\n${Buffer.byteLength(file)}:${file}\n${bytes.length}:`);
    hash.update(bytes);
  }
  return { key: hash.digest('hex'), files: sorted };
}

/**
 * The cache key of a migrated template: the farm's schedule key and the migrate key together, so
 * that a change of either reseeds. A template without `migrate` keeps the schedule key alone.
 */
export function templateKey(scheduleKey: string, migrate: MigrateKey | null): string {
  if (!migrate) return scheduleKey;
  return createHash('sha256').update(`schedule:${scheduleKey}\nmigrate:${migrate.key}`).digest('hex');
}
