#!/usr/bin/env node
/**
 * The `aquaseed` command. `seed` builds a farm (by default into a persistent embedded cluster in
 * the cache directory), `up` serves one until Ctrl-C.
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { seed } from '../seed/seed-farm.js';
import type { SeedRequest } from '../seed/request.js';
import { presetNames } from '../preset-files/presets.js';
import { scheduleKey } from '../cache/key.js';
import { templateKey } from '../cache/migrate-key.js';
import { checkMigrate } from '../seed/migrate.js';
import { migrateOptions, migrateSetting, type MigrateFlags } from './migrate-flags.js';
import { isYamlPath, resolveSchedule } from '../preset-files/resolve.js';
import { formatStats, scheduleStats } from '../schedule/stats.js';
import { scheduleToYaml } from '../schedule/yaml.js';
import { packageVersion } from '../host/package-root.js';
import { redactUrl } from '../provision/external.js';
import { formatSeedSummary, summaryJson } from './format.js';
import { registerCacheCommands } from './cache-commands.js';
import { registerFarmCommands } from './farm-commands.js';
import { progressReporter, type ProgressReporter } from './progress.js';
import { CLI_CLUSTER } from './target.js';
import { PROVIDERS, type Provider } from './providers.js';
import { describeEnd, serveUntilStopped } from './serve.js';
import { AquaseedError } from '../core/errors.js';
import { quietCommander, run, runCommandLine } from './run.js';
import { parseAsOf, parseDatabaseUrlOption, parseDirectory, parseOutputFile, wholeNumber } from './parse-options.js';

interface CommonFlags extends MigrateFlags {
  cache?: boolean;
  databaseUrl?: string;
  workers?: number;
  json?: boolean;
  quiet?: boolean;
  debug?: boolean;
  cacheDir?: string;
  provider?: Provider;
  existingSchema?: boolean;
  asOf?: string;
}

const AS_OF_HELP = "the farm's today instead of the preset's: YYYY-MM-DD, today, today-<n>d, now or an ISO instant (UTC; AQUASEED_TODAY pins today)";

const program = quietCommander(new Command('aquaseed'))
  .description('Deterministic, realistic salmon-farm databases (the AquaMind data model) for tests.')
  .version(packageVersion());

function common(command: Command): Command {
  command
    .addOption(
      new Option('--database-url <url>', 'seed this PostgreSQL database instead of the embedded server (DATABASE_URL is not read: pass --database-url "$DATABASE_URL")')
        .env('AQUASEED_DATABASE_URL')
        .argParser(parseDatabaseUrlOption),
    )
    .option('--cache-dir <dir>', 'cache directory (default: AQUASEED_CACHE_DIR or node_modules/.cache/aquaseed)', parseDirectory('--cache-dir'))
    .option('--workers <n>', 'worker threads generating batches (same content for any number)', wholeNumber('--workers', 1, 64))
    .option('--no-cache', 'always generate, and write no snapshot to the cache')
    .option('--json', 'print one JSON summary object as the last line of stdout')
    .option('--quiet', 'print nothing but errors (and --json)')
    .option('--debug', 'print stack traces')
    .addOption(
      new Option('--provider <provider>', 'where PostgreSQL comes from (default: --database-url if given, else embedded)').choices(PROVIDERS),
    )
    .option('--existing-schema', 'the database already holds the AquaMind tables (a Django-migrated app): check them and replace only their rows')
    .option('--as-of <date>', AS_OF_HELP, parseAsOf);
  return migrateOptions(command);
}

common(
  program
    .command('seed')
    .argument('<preset>', `preset to seed (${presetNames().join(', ')}), or a schedule or preset file (.yaml)`)
    .description('plan and seed a farm; without --database-url it lands in a persistent embedded cluster')
    .addHelpText(
      'after',
      '\nProgress goes to stderr: a bar on a terminal, a line per phase otherwise.\n' +
        '\nExamples:\n  $ npx aquaseed seed single-batch\n' +
        '  $ npx aquaseed seed 40-batch --workers 2\n' +
        '  $ npx aquaseed plan 40-batch -o farm.yaml && npx aquaseed seed farm.yaml\n' +
        '  $ npx aquaseed seed single-batch --database-url postgres://me:pw@localhost/farm --json | tail -1\n' +
        '  $ npx aquaseed seed tiny --as-of today   # dated up to today (UTC), for dashboards that show the last days\n' +
        '  $ npx aquaseed seed single-batch --provider testcontainers\n' +
        "  $ npx aquaseed seed tiny --migrate 'python3 manage.py migrate --noinput' --migrate-hash '*/migrations/*.py' --setup 'python3 manage.py setup'",
    ),
).action(async (preset: string, flags: CommonFlags) => {
  await run(flags, async (signal) => {
    const started = performance.now();
    const farm = await withProgress(flags, (display) => seed(seedOptions(preset, flags, signal, display)), preset);
    try {
      const elapsed = (performance.now() - started) / 1000;
      if (!flags.quiet) {
        process.stdout.write(`${formatSeedSummary(farm.summary, farm.url, elapsed)}\n`);
        process.stdout.write(
          farm.summary.sharedServer
            ? `\nConnect (the embedded server is another aquaseed process's, e.g. \`aquaseed up\`; it serves until that one stops):\n  psql "${farm.url}"\n`
            : farm.summary.provider === 'embedded'
              ? `\nConnect: the embedded server stops when this command ends; serve the farm with\n  npx aquaseed up ${preset}\n`
              : `\nConnect:\n  psql "${redactUrl(farm.url)}"\n`,
        );
      }
      if (flags.json) process.stdout.write(`${summaryJson(farm.summary, farm.url, elapsed)}\n`);
    } finally {
      await farm.close();
    }
  });
});

common(
  program
    .command('up')
    .argument('<preset>', `preset to serve (${presetNames().join(', ')}), or a schedule or preset file (.yaml)`)
    .description('seed the farm if it is not there yet, then keep the embedded server running until Ctrl-C')
    .option('--port <port>', 'the port the embedded server listens on (default: a free one)', parsePort)
    .option('--host <address>', 'the address it listens on (default 127.0.0.1; 0.0.0.0 for every IPv4 address, e.g. for containers)')
    .option('--verbose', 'also list the rows per table')
    .addHelpText(
      'after',
      '\nThe first line of stdout is the connection URL (with --quiet, the only one); then a summary, a psql line and an\n' +
        '`export DATABASE_URL=…` line. It serves until Ctrl-C, SIGTERM or SIGHUP, until the process that started it ends, or\n' +
        'until its stdin closes when that is a pipe (exit 0); the server stops with it.\n' +
        '\nExamples:\n  $ npx aquaseed up single-batch\n' +
        '  $ npx aquaseed up tiny --port 54329\n' +
        '  $ exec 3< <(npx aquaseed up tiny --quiet); read -r DATABASE_URL <&3   # in the background, in a bash script',
    ),
).action(async (preset: string, flags: UpFlags) => {
  await run(flags, async (signal) => {
    refuseListenWithoutEmbedded(flags);
    const started = performance.now();
    const farm = await withProgress(flags, (display) =>
      seed({ ...seedOptions(preset, flags, signal, display), reuse: true, adoptStaleServer: true, ...listenOptions(flags) }),
    );
    const elapsed = (performance.now() - started) / 1000;
    // The URL first, alone under --quiet, flushed before serving: `read -r URL` gets it while we serve.
    process.stdout.write(`${farm.url}\n`);
    if (!flags.quiet) {
      process.stdout.write(`${formatSeedSummary(farm.summary, farm.url, elapsed, { tables: flags.verbose === true, url: false })}\n\n`);
      process.stdout.write(`Serving until Ctrl-C:\n  export DATABASE_URL="${farm.url}"\n  psql "${farm.url}"\n`);
    }
    if (flags.json) process.stdout.write(`${summaryJson(farm.summary, farm.url, elapsed)}\n`);
    // Whoever read the URL may close the pipe: nothing more is written to it under --quiet, and
    // a closed stdout must not end the serving.
    process.stdout.on('error', () => {});
    const end = await serveUntilStopped(signal);
    await farm.close();
    const why = describeEnd(end);
    if (why && !flags.quiet) process.stderr.write(`aquaseed: stopping: ${why}\n`);
    // With --json the summary stays the last stdout line.
    if (!flags.quiet) (flags.json ? process.stderr : process.stdout).write('Stopped.\n');
  }, { adopting: CLI_CLUSTER });
});

program
  .command('plan')
  .argument('<preset>', `preset to plan (${presetNames().join(', ')}), or a preset or schedule file (.yaml)`)
  .option('-o, --output <file>', 'write the schedule to this file (and a summary to stdout) instead of stdout', parseOutputFile('--output'))
  .option('--as-of <date>', AS_OF_HELP, parseAsOf)
  .option('--debug', 'print stack traces')
  .description('plan a preset: every batch with its dates and containers, as a schedule (YAML)')
  .addHelpText('after', '\nExamples:\n  $ npx aquaseed plan 40-batch -o farm.yaml   # edit it, then: npx aquaseed seed farm.yaml\n  $ npx aquaseed plan single-batch | head -40')
  .action(async (preset: string, flags: { output?: string; asOf?: string; debug?: boolean }) => {
    await run(flags, async () => {
      const schedule = resolveSchedule(preset, asOfOption(flags));
      const summary = formatStats(scheduleStats(schedule), schedule.asOf);
      const yaml = scheduleToYaml(schedule, summary);
      if (flags.output) {
        writeFileSync(flags.output, yaml);
        process.stdout.write(`Planned ${schedule.preset} into ${flags.output}:\n${summary.map((line) => `  ${line}`).join('\n')}\n  key ${scheduleKey(schedule)}\n`);
      } else {
        // `aquaseed plan full-saturation | head` closes the pipe early: that is not an error.
        process.stdout.on('error', (error: NodeJS.ErrnoException) => {
          if (error.code !== 'EPIPE') throw error;
        });
        process.stdout.write(yaml);
      }
    });
  });

migrateOptions(program.command('key'))
  .argument('<preset>', 'preset name, or a preset or schedule file (.yaml)')
  .option('--as-of <date>', AS_OF_HELP, parseAsOf)
  .option('--debug', 'print stack traces')
  .description('print the cache key (sha256 of the schedule, engine and schema versions); a preset and its planned file give the same key')
  .addHelpText(
    'after',
    '\nThe key is the only line on stdout; the farm\'s resolved asOf goes to stderr (a farm dated "today" has a key per day).\n' +
      '\nExamples:\n  $ npx aquaseed key single-batch\n  $ echo "key=$(npx aquaseed key single-batch)" >> "$GITHUB_OUTPUT"   # a CI cache key\n' +
      '  $ AQUASEED_TODAY=2026-03-02 npx aquaseed key tiny --as-of today   # the key of that day\'s farm\n' +
      "  $ npx aquaseed key tiny --migrate 'python3 manage.py migrate --noinput' --migrate-hash '*/migrations/*.py'   # a migrated template's key",
  )
  .action(async (preset: string, flags: { asOf?: string; debug?: boolean } & MigrateFlags) => {
    await run(flags, async () => {
      const schedule = resolveSchedule(preset, asOfOption(flags));
      const setting = migrateSetting(flags);
      const migrate = setting ? await checkMigrate(setting, '--migrate') : null;
      process.stdout.write(`${templateKey(scheduleKey(schedule), migrate)}\n`);
      process.stderr.write(`asOf ${schedule.asOf}\n`);
      if (migrate) process.stderr.write(`migrate key ${migrate.key} over ${migrate.files.length} file(s)${migrate.files.length > 0 ? `: ${migrate.files.join(', ')}` : ''}\n`);
    });
  });

interface UpFlags extends CommonFlags {
  port?: number;
  host?: string;
  verbose?: boolean;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    throw new InvalidArgumentError(`--port takes a port number from 1 to 65535, got ${JSON.stringify(value)}`);
  }
  return port;
}

function listenOptions(flags: UpFlags): Pick<SeedRequest, 'listen'> {
  if (flags.port === undefined && flags.host === undefined) return {};
  return { listen: { ...(flags.port !== undefined ? { port: flags.port } : {}), ...(flags.host !== undefined ? { host: flags.host } : {}) } };
}

/** --port and --host say where the embedded server listens: with another server they mean nothing. */
function refuseListenWithoutEmbedded(flags: UpFlags): void {
  if (flags.port === undefined && flags.host === undefined) return;
  if (serverOptions(flags).provider === 'embedded') return;
  throw new AquaseedError(
    'AQUASEED_INVALID_OPTION',
    `--${flags.port !== undefined ? 'port' : 'host'} sets where the embedded server listens, and this \`up\` serves ${flags.databaseUrl ? 'the --database-url database' : `a ${flags.provider} server`}`,
    'drop --port/--host, or drop --database-url/--provider to serve the embedded cluster',
  );
}

function migrateRequest(flags: MigrateFlags): Pick<SeedRequest, 'migrate'> {
  const migrate = migrateSetting(flags);
  return migrate ? { migrate } : {};
}

function asOfOption(flags: { asOf?: string }): { asOf?: string } {
  return flags.asOf !== undefined ? { asOf: flags.asOf } : {};
}

function seedOptions(preset: string, flags: CommonFlags, signal: AbortSignal, display: Display): SeedRequest {
  return {
    // A file (schedule or preset) is read and validated here; a name is planned by seedFarm.
    ...(isYamlPath(preset) ? { schedule: resolveSchedule(preset, asOfOption(flags)) } : { preset, ...asOfOption(flags) }),
    signal,
    ...serverOptions(flags),
    ...(flags.existingSchema ? { schema: 'existing' as const } : {}),
    ...migrateRequest(flags),
    ...(flags.cacheDir ? { cacheDir: flags.cacheDir } : {}),
    ...(flags.workers ? { workers: flags.workers } : {}),
    ...(flags.cache === false ? { cache: false } : {}),
    ...display,
  };
}

/**
 * Without a URL or another provider the farm lands in the CLI's persistent embedded cluster, so
 * `up`, `verify`, `wipe` and `report` find it later.
 */
function serverOptions(flags: CommonFlags): Pick<SeedRequest, 'databaseUrl' | 'provider' | 'cluster'> {
  const url = flags.databaseUrl ? { databaseUrl: flags.databaseUrl } : {};
  const provider = flags.provider ?? (flags.databaseUrl ? undefined : 'embedded');
  if (provider === 'embedded') return { provider, cluster: CLI_CLUSTER };
  return { ...url, ...(provider ? { provider } : {}) };
}

/** Where a seed's progress and notices go: nowhere with --quiet. */
type Display = Pick<SeedRequest, 'onProgress' | 'onNotice'>;

/** Runs a seed with the progress display (none with --quiet), stopped however the seed ends. */
async function withProgress<T>(flags: CommonFlags, body: (display: Display) => Promise<T>, label?: string): Promise<T> {
  if (flags.quiet) return body({ onNotice: () => {} });
  const reporter: ProgressReporter = progressReporter(process.stderr, undefined, label && basename(label));
  reporter.update({ phase: 'plan' });
  try {
    return await body({ onProgress: (progress) => reporter.update(progress), onNotice: (message) => reporter.notice(message) });
  } finally {
    reporter.stop();
  }
}

registerCacheCommands(program);
registerFarmCommands(program);

await runCommandLine(program, process.argv);
