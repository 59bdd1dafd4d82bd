#!/usr/bin/env node
/**
 * The `aquaseed` command. `seed` builds a farm (by default into a persistent embedded cluster in
 * the cache directory), `up` serves one until Ctrl-C.
 */
import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { seedFarm, type SeedFarmOptions } from '../seed/seed-farm.js';
import { presetNames } from '../schedule/preset.js';
import { scheduleKey } from '../schedule/hash.js';
import { isYamlPath, resolveSchedule } from '../schedule/resolve.js';
import { formatStats, scheduleStats } from '../schedule/stats.js';
import { scheduleToYaml } from '../schedule/yaml.js';
import { packageVersion } from '../package-root.js';
import { redactUrl } from '../provision/external.js';
import type { SeedProgress } from '../seed/progress.js';
import { reportError } from './errors.js';
import { formatSeedSummary, summaryJson } from './format.js';
import { registerCacheCommands } from './cache-commands.js';

interface CommonFlags {
  cache?: boolean;
  databaseUrl?: string;
  workers?: number;
  json?: boolean;
  quiet?: boolean;
  debug?: boolean;
  cacheDir?: string;
}

const program = new Command('aquaseed')
  .description('Deterministic, realistic salmon-farm databases (the AquaMind data model) for tests.')
  .version(packageVersion())
  .showHelpAfterError();

function common(command: Command): Command {
  return command
    .addOption(new Option('--database-url <url>', 'seed this PostgreSQL database instead of the embedded server').env('DATABASE_URL'))
    .option('--cache-dir <dir>', 'cache directory (default: AQUASEED_CACHE_DIR or node_modules/.cache/aquaseed)')
    .option('--workers <n>', 'worker threads generating batches (same content for any number)', parseWorkers)
    .option('--no-cache', 'always generate, and write no snapshot to the cache')
    .option('--json', 'print one JSON summary object as the last line of stdout')
    .option('--quiet', 'print nothing but errors (and --json)')
    .option('--debug', 'print stack traces');
}

common(
  program
    .command('seed')
    .argument('<preset>', `preset to seed (${presetNames().join(', ')}), or a schedule or preset file (.yaml)`)
    .description('plan and seed a farm; without --database-url it lands in a persistent embedded cluster')
    .addHelpText('after', '\nExamples:\n  $ npx aquaseed seed single-batch\n  $ npx aquaseed seed single-batch --database-url postgres://me:pw@localhost/farm --json'),
).action(async (preset: string, flags: CommonFlags) => {
  await run(flags, async (signal) => {
    const started = performance.now();
    const farm = await seedFarm(seedOptions(preset, flags, signal));
    try {
      const elapsed = (performance.now() - started) / 1000;
      if (!flags.quiet) {
        process.stdout.write(`${formatSeedSummary(farm.summary, farm.url, elapsed)}\n`);
        process.stdout.write(
          farm.summary.provider === 'embedded'
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
    .addHelpText('after', '\nExample:\n  $ npx aquaseed up single-batch\n  $ psql "$(npx aquaseed up single-batch --json | tail -1 | jq -r .url)"   # from another shell'),
).action(async (preset: string, flags: CommonFlags) => {
  await run(flags, async (signal) => {
    const started = performance.now();
    const farm = await seedFarm({ ...seedOptions(preset, flags, signal), reuse: true });
    const elapsed = (performance.now() - started) / 1000;
    if (!flags.quiet) {
      process.stdout.write(`${formatSeedSummary(farm.summary, farm.url, elapsed)}\n\n`);
      process.stdout.write(`Serving until Ctrl-C:\n  export DATABASE_URL="${farm.url}"\n  psql "${farm.url}"\n`);
    }
    if (flags.json) process.stdout.write(`${summaryJson(farm.summary, farm.url, elapsed)}\n`);
    // Nothing else holds the event loop while we serve (the server process is unref'd on purpose).
    const keepAlive = setInterval(() => {}, 1 << 30);
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    clearInterval(keepAlive);
    await farm.close();
    if (!flags.quiet) process.stdout.write('Stopped.\n');
  });
});

program
  .command('plan')
  .argument('<preset>', `preset to plan (${presetNames().join(', ')}), or a preset or schedule file (.yaml)`)
  .option('-o, --output <file>', 'write the schedule to this file (and a summary to stdout) instead of stdout')
  .description('plan a preset: every batch with its dates and containers, as a schedule (YAML)')
  .addHelpText('after', '\nExamples:\n  $ npx aquaseed plan 40-batch -o farm.yaml   # edit it, then: npx aquaseed seed farm.yaml')
  .action((preset: string, flags: { output?: string }) => {
    try {
      const schedule = resolveSchedule(preset);
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
    } catch (error) {
      process.exitCode = reportError(error, false);
    }
  });

program
  .command('key')
  .argument('<preset>', 'preset name, or a preset or schedule file (.yaml)')
  .description('print the cache key (sha256 of the schedule, engine and schema versions); a preset and its planned file give the same key')
  .action((preset: string) => {
    try {
      process.stdout.write(`${scheduleKey(resolveSchedule(preset))}\n`);
    } catch (error) {
      process.exitCode = reportError(error, false);
    }
  });

function parseWorkers(value: string): number {
  const workers = Number(value);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
    throw new InvalidArgumentError(`--workers takes a whole number from 1 to 64, got ${JSON.stringify(value)}`);
  }
  return workers;
}

function seedOptions(preset: string, flags: CommonFlags, signal: AbortSignal): SeedFarmOptions {
  return {
    // A file (schedule or preset) is read and validated here; a name is planned by seedFarm.
    ...(isYamlPath(preset) ? { schedule: resolveSchedule(preset) } : { preset }),
    signal,
    ...(flags.databaseUrl ? { databaseUrl: flags.databaseUrl } : { provider: 'embedded', cluster: 'default' }),
    ...(flags.cacheDir ? { cacheDir: flags.cacheDir } : {}),
    ...(flags.workers ? { workers: flags.workers } : {}),
    ...(flags.cache === false ? { cache: false } : {}),
    ...(flags.quiet || !process.stderr.isTTY ? {} : { onProgress: progressLine }),
  };
}

function progressLine(progress: SeedProgress): void {
  const detail = progress.phase === 'generate' ? ` ${progress.batchesDone ?? 0}/${progress.batches ?? 0} batches` : '';
  process.stderr.write(`\r\x1b[2K… ${progress.phase}${detail}`);
  if (progress.phase === 'done') process.stderr.write('\r\x1b[2K');
}

/** Runs a command with Ctrl-C wired to an AbortSignal (a second Ctrl-C, a second later, exits at once). */
async function run(flags: CommonFlags, body: (signal: AbortSignal) => Promise<void>): Promise<void> {
  const controller = new AbortController();
  let firstSignalAt = 0;
  const onSignal = (): void => {
    // A second Ctrl-C forces the exit; the same signal delivered twice at once (to the process and
    // to its group) does not.
    if (controller.signal.aborted) {
      if (performance.now() - firstSignalAt > 1000) process.exit(130);
      return;
    }
    firstSignalAt = performance.now();
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await body(controller.signal);
  } catch (error) {
    process.exitCode = reportError(error, flags.debug ?? false);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

registerCacheCommands(program, run);

await program.parseAsync(process.argv);
