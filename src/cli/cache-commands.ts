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
import { formatInventory } from './format-inventory.js';
import { removeUnused, takeInventory } from './cache-inventory.js';
import { run } from './run.js';
import { registerCacheVerify } from './cache-verify.js';
import { parseAsOf, parseDatabaseUrlOption, parseDirectory } from './parse-options.js';

const number = new Intl.NumberFormat('en-US');

export function registerCacheCommands(program: Command): void {
  migrateOptions(program.command('warm'))
    .argument('<presets...>', 'presets to generate into the snapshot cache')
    .option('--cache-dir <dir>', 'cache directory (default: AQUASEED_CACHE_DIR or node_modules/.cache/aquaseed)', parseDirectory('--cache-dir'))
    .option('--json', 'print one JSON summary object as the last line of stdout')
    .option('--quiet', 'print nothing but errors (and --json)')
    .option('--debug', 'print stack traces')
    .option('--as-of <date>', "the farms' today instead of the presets': YYYY-MM-DD, today, today-<n>d, now or an ISO instant (UTC)", parseAsOf)
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
    .description('inspect, check or clear the snapshot cache')
    .addHelpText('after', '\nExamples:\n  $ npx aquaseed cache ls\n  $ npx aquaseed cache verify\n  $ npx aquaseed cache prune --all');
  cache
    .command('ls')
    .option('--cache-dir <dir>', 'cache directory', parseDirectory('--cache-dir'))
    .option('--json', 'print the inventory as JSON')
    .option('--debug', 'print stack traces')
    .description('list everything in the cache directory, each part with its kind and size: snapshots, clusters, kept databases')
    .addHelpText(
      'after',
      '\nKinds: physical and logical snapshots, partial (being written), cluster (the CLI\'s persistent cluster, the template,\n' +
        'a test run\'s throwaway cluster), kept (databases of failed tests), binaries (as root), other. The total is what\n' +
        '`du` says of the directory.\n' +
        '\nExamples:\n  $ npx aquaseed cache ls\n  $ npx aquaseed cache ls --json | jq \'.items[] | select(.kind == "physical") | .preset\'',
    )
    .action(async (flags: { cacheDir?: string; json?: boolean; debug?: boolean }) => {
      await run(flags, async () => {
        const cacheDir = flags.cacheDir ?? defaultCacheDir();
        const inventory = await takeInventory(cacheDir);
        const kept = await listKept(cacheDir);
        if (flags.json) {
          const databases = kept.map(({ database, url, test, file, isolation, keptAt, state }) => ({ database, url, test, file, isolation, keptAt, state: state.kind }));
          process.stdout.write(`${JSON.stringify({ ...inventory, keptDatabases: databases })}\n`);
          return;
        }
        process.stdout.write(`${formatInventory(inventory)}\n`);
        if (kept.length > 0) process.stdout.write(`\nKept databases of failed tests (${kept.length}):\n${kept.map(formatKept).join('\n')}\n`);
      });
    });
  registerCacheVerify(cache);
  cache
    .command('prune')
    .option('--cache-dir <dir>', 'cache directory', parseDirectory('--cache-dir'))
    .option('--all', 'remove everything no running process uses: every snapshot, the clusters, the binaries\' copy')
    .addOption(new Option('--database-url <url>', 'a server holding kept databases of failed tests: drop those too').env('AQUASEED_DATABASE_URL').argParser(parseDatabaseUrlOption))
    .option('--debug', 'print stack traces')
    .description('remove what killed processes left and the kept databases of failed tests (and with --all, everything not in use)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ npx aquaseed cache prune        # what killed processes left behind, and kept databases\n  $ npx aquaseed cache prune --all  # everything not in use too',
    )
    .action(async (flags: { cacheDir?: string; all?: boolean; databaseUrl?: string; debug?: boolean }) => {
      await run(flags, async () => {
        const cacheDir = flags.cacheDir ?? defaultCacheDir();
        // What killed processes left is gone already: every command sweeps first (run.ts).
        const removed: string[] = [];
        const left: string[] = [];
        if (flags.all) {
          const unused = await removeUnused(await takeInventory(cacheDir));
          removed.push(...unused.removed);
          left.push(...unused.left);
        }
        const kept = await pruneKept(cacheDir, flags.databaseUrl);
        removed.push(...kept.removed);
        left.push(...kept.left);
        process.stdout.write(removed.length === 0 ? 'nothing to remove\n' : `removed ${removed.length}: ${removed.join(', ')}\n`);
        for (const line of left) process.stdout.write(`${line}\n`);
      });
    });
  cache
    .command('serve')
    .argument('<database>', 'a kept database of a failed test (`aquaseed cache ls` lists them)')
    .option('--cache-dir <dir>', 'cache directory', parseDirectory('--cache-dir'))
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
