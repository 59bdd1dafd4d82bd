/**
 * `aquaseed warm <preset…>` fills the snapshot cache; `aquaseed cache ls|prune` shows and clears it,
 * kept databases of failed tests included, and `cache serve` serves a kept one.
 */
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { defaultCacheDir } from '../host/cache-dir.js';
import { SnapshotStore } from '../cache/snapshot-store.js';
import { seed } from '../seed/seed-farm.js';
import { planSchedule } from '../preset-files/resolve.js';
import { scheduleKey } from '../cache/key.js';
import { templateKey } from '../cache/migrate-key.js';
import { checkMigrate } from '../seed/migrate.js';
import { migrateOptions, migrateSetting, type MigrateFlags } from './migrate-flags.js';
import { embeddedBinaries } from '../provision/embedded-binaries.js';
import { PROVIDERS, type Provider } from './providers.js';
import { progressReporter } from './progress.js';
import { listKept } from '../cache/kept.js';
import { formatKept, pruneKept, serveKept } from './kept-commands.js';
import { run } from './run.js';

const number = new Intl.NumberFormat('en-US');
const megabytes = (bytes: number): string => `${number.format(Math.round(bytes / 2 ** 20))} MB`;

export function registerCacheCommands(program: Command): void {
  migrateOptions(program.command('warm'))
    .argument('<presets...>', 'presets to generate into the snapshot cache')
    .option('--cache-dir <dir>', 'cache directory (default: AQUASEED_CACHE_DIR or node_modules/.cache/aquaseed)')
    .option('--json', 'print one JSON summary object as the last line of stdout')
    .option('--quiet', 'print nothing but errors (and --json)')
    .option('--debug', 'print stack traces')
    .option('--as-of <date>', "the farms' today instead of the presets': YYYY-MM-DD, today or today-<n>d (UTC)")
    .addOption(new Option('--provider <provider>', 'the server generating the snapshot (default: a throwaway embedded cluster)').choices(PROVIDERS))
    .description('generate presets into the snapshot cache (a hit later restores instead of generating)')
    .addHelpText(
      'after',
      '\nExamples (CI, before the tests):\n  $ npx aquaseed warm single-batch\n  $ npx aquaseed warm single-batch uat --json | tail -1\n' +
        "  $ npx aquaseed warm tiny --migrate 'python3 manage.py migrate --noinput' --migrate-hash '*/migrations/*.py'",
    )
    .action(async (presets: string[], flags: { cacheDir?: string; json?: boolean; quiet?: boolean; debug?: boolean; provider?: Provider; asOf?: string } & MigrateFlags) => {
      await run(flags, async (signal) => {
        const results = [];
        const cacheDir = flags.cacheDir ?? defaultCacheDir();
        const store = new SnapshotStore(join(cacheDir, 'snapshots'));
        const { major } = await embeddedBinaries();
        const setting = migrateSetting(flags);
        const migrate = setting ? await checkMigrate(setting, '--migrate') : null;
        for (const preset of presets) {
          const started = performance.now();
          // Planned once: a relative --as-of names one day for the key and the seed.
          const schedule = planSchedule(preset, flags.asOf !== undefined ? { asOf: flags.asOf } : {});
          const key = templateKey(scheduleKey(schedule), migrate);
          const cached = await store.find(key, major);
          let rows = cached?.manifest.totalRows ?? 0;
          if (!cached) {
            const reporter = flags.quiet ? null : progressReporter();
            try {
              const farm = await seed({
                schedule,
                signal,
                cacheDir,
                ...(setting ? { migrate: setting } : {}),
                ...(flags.provider ? { provider: flags.provider } : {}),
                ...(reporter ? { onProgress: (progress) => reporter.update(progress) } : {}),
              });
              await farm.close();
              rows = farm.summary.totalRows;
            } finally {
              reporter?.stop();
            }
          }
          const seconds = (performance.now() - started) / 1000;
          const state = cached ? 'already cached' : 'generated';
          results.push({ preset, key, state, rows, seconds });
          if (!flags.json && !flags.quiet) process.stdout.write(`${preset}: ${state} (${number.format(rows)} rows, key ${key.slice(0, 12)}…) in ${seconds.toFixed(2)} s\n`);
        }
        if (flags.json) process.stdout.write(`${JSON.stringify({ cacheDir, presets: results })}\n`);
      });
    });

  const cache = program
    .command('cache')
    .description('inspect or clear the snapshot cache')
    .addHelpText('after', '\nExamples:\n  $ npx aquaseed cache ls\n  $ npx aquaseed cache prune --all');
  cache
    .command('ls')
    .option('--cache-dir <dir>', 'cache directory')
    .option('--json', 'print the entries as JSON')
    .option('--debug', 'print stack traces')
    .description('list cached snapshots')
    .addHelpText('after', '\nExamples:\n  $ npx aquaseed cache ls\n  $ npx aquaseed cache ls --json | jq \'.[].preset\'')
    .action(async (flags: { cacheDir?: string; json?: boolean; debug?: boolean }) => {
      await run(flags, async () => {
        const cacheDir = flags.cacheDir ?? defaultCacheDir();
        const store = new SnapshotStore(join(cacheDir, 'snapshots'));
        const entries = await store.list();
        const kept = await listKept(cacheDir);
        if (flags.json) {
          const snapshots = entries.map(({ dir, manifest, bytes }) => ({ kind: 'snapshot', dir, bytes, preset: manifest?.preset, key: manifest?.key, rows: manifest?.totalRows, pgMajor: manifest?.pgMajor }));
          const databases = kept.map(({ database, url, test, file, isolation, keptAt, state }) => ({ kind: 'kept', database, url, test, file, isolation, keptAt, state: state.kind }));
          process.stdout.write(`${JSON.stringify([...snapshots, ...databases])}\n`);
          return;
        }
        if (entries.length === 0) process.stdout.write(`no snapshots in ${store.dir}\n`);
        for (const { manifest, bytes, dir } of entries) {
          process.stdout.write(
            manifest
              ? `${manifest.preset.padEnd(16)} ${manifest.key.slice(0, 12)}  PostgreSQL ${manifest.pgMajor}  ${number.format(manifest.totalRows).padStart(12)} rows  ${megabytes(bytes).padStart(9)}\n`
              : `(unreadable)     ${dir}\n`,
          );
        }
        if (kept.length > 0) process.stdout.write(`\nKept databases of failed tests (${kept.length}):\n${kept.map(formatKept).join('\n')}\n`);
      });
    });
  cache
    .command('prune')
    .option('--cache-dir <dir>', 'cache directory')
    .option('--all', 'remove every snapshot, not just partial writes left by killed processes')
    .addOption(new Option('--database-url <url>', 'a server holding kept databases of failed tests: drop those too').env('DATABASE_URL'))
    .option('--debug', 'print stack traces')
    .description('remove partial writes and the kept databases of failed tests (and with --all, every snapshot)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ npx aquaseed cache prune        # what killed processes left behind, and kept databases\n  $ npx aquaseed cache prune --all  # every snapshot too',
    )
    .action(async (flags: { cacheDir?: string; all?: boolean; databaseUrl?: string; debug?: boolean }) => {
      await run(flags, async () => {
        const cacheDir = flags.cacheDir ?? defaultCacheDir();
        const store = new SnapshotStore(join(cacheDir, 'snapshots'));
        const removed = await store.prune({ all: flags.all ?? false });
        const kept = await pruneKept(cacheDir, flags.databaseUrl);
        removed.push(...kept.removed);
        process.stdout.write(removed.length === 0 ? 'nothing to remove\n' : `removed ${removed.length}: ${removed.join(', ')}\n`);
        for (const line of kept.left) process.stdout.write(`${line}\n`);
      });
    });
  cache
    .command('serve')
    .argument('<database>', 'a kept database of a failed test (`aquaseed cache ls` lists them)')
    .option('--cache-dir <dir>', 'cache directory')
    .option('--debug', 'print stack traces')
    .description('start the embedded server holding a kept database and serve it until Ctrl-C')
    .addHelpText('after', '\nExamples:\n  $ npx aquaseed cache serve aquaseed_single_batch_kept_1a2b3c4d')
    .action(async (database: string, flags: { cacheDir?: string; debug?: boolean }) => {
      await run(flags, async (signal) => {
        const url = await serveKept(flags.cacheDir ?? defaultCacheDir(), database, signal);
        if (url) process.stdout.write('Stopped.\n');
      });
    });
}
