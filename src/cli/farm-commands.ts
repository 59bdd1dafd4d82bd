/**
 * Commands on a farm that is already seeded: `verify` (the checks as a table), `wipe` (remove the
 * operational data, keep the infrastructure) and `report` (an HTML page of charts).
 */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { verifyFarm } from '../verify/verify-farm.js';
import { wipeFarm, type WipeResult } from '../db/wipe.js';
import { writeFarmReport } from '../report/index.js';
import { formatVerifyTable, verifyJson } from './verify-table.js';
import { withTargetDatabase, type TargetFlags } from './target.js';
import { run } from './run.js';
import { parseDatabaseUrlOption, parseDirectory, parseOutputFile } from './parse-options.js';
import { EXIT_CHECK_FAILED } from './errors.js';
import { databaseOf } from '../db/clone.js';

interface FarmFlags extends TargetFlags {
  json?: boolean;
  quiet?: boolean;
  debug?: boolean;
}

const number = new Intl.NumberFormat('en-US');

function targetOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--database-url <url>', 'the farm in this PostgreSQL database (default: the embedded cluster `seed` and `up` use)')
        .env('AQUASEED_DATABASE_URL')
        .argParser(parseDatabaseUrlOption),
    )
    .option('--cache-dir <dir>', 'cache directory holding the embedded cluster (default: AQUASEED_CACHE_DIR or node_modules/.cache/aquaseed)', parseDirectory('--cache-dir'))
    .option('--database <name>', 'in the embedded cluster: which farm database, when it holds several (e.g. aquaseed_single_batch)')
    .option('--debug', 'print stack traces');
}

export function registerFarmCommands(program: Command): void {
  targetOptions(
    program
      .command('verify')
      .description('run every farm check (survival, FCR, linkage, conflicts, volumes…) and print them as a table; exits 2 if one fails (1 for an error)')
      .option('--json', 'print one JSON object with every check as the last line of stdout')
      .addHelpText(
        'after',
        '\nExamples:\n  $ npx aquaseed verify                       # the farm `aquaseed seed` put in the embedded cluster\n' +
          '  $ npx aquaseed verify --database-url postgres://me:pw@localhost/farm --json | tail -1 | jq .pass',
      ),
  ).action(async (flags: FarmFlags) => {
    await run(flags, () =>
      withTargetDatabase(flags, async (url) => {
        const report = await verifyFarm(url);
        if (flags.json) process.stdout.write(`${verifyJson(databaseOf(url), report)}\n`);
        else process.stdout.write(`Checks of database ${databaseOf(url)}:\n${formatVerifyTable(report)}\n`);
        if (!report.pass) process.exitCode = EXIT_CHECK_FAILED;
      }),
    );
  });

  targetOptions(
    program
      .command('wipe')
      .description('remove the operational data (batches, events, scenarios, finance facts, planned activities and their history) in one transaction; keep infrastructure and master data')
      .option('--json', 'print one JSON object (rows removed per table) as the last line of stdout')
      .option('--quiet', 'print nothing but errors (and --json)')
      .addHelpText(
        'after',
        '\nOnly a database aquaseed seeded is wiped; any other is refused untouched. In an AquaMind database seeded with\n' +
          '--existing-schema only the rows the seed put in go; the database\'s own tables and rows stay. `seed` or `up` fills it again.\n' +
          '\nExamples:\n  $ npx aquaseed wipe\n  $ npx aquaseed wipe --database-url postgres://me:pw@localhost/farm --json',
      ),
  ).action(async (flags: FarmFlags) => {
    await run(flags, () =>
      withTargetDatabase(flags, async (url) => {
        const started = performance.now();
        const result = await wipeFarm(url);
        const seconds = (performance.now() - started) / 1000;
        if (!flags.quiet) process.stdout.write(`${formatWipe(result, seconds)}\n`);
        if (flags.json) process.stdout.write(`${JSON.stringify({ ...result, seconds })}\n`);
      }),
    );
  });

  targetOptions(
    program
      .command('report')
      .description('write an HTML report of the farm: population, weight, biomass, occupancy (Gantt), utilization, distributions and the checks, with charts')
      .option('-o, --output <file>', 'the HTML file to write', parseOutputFile('--output'), 'aquaseed-report.html')
      .option('--json', 'print one JSON object (file, charts, checks passed) as the last line of stdout')
      .addHelpText(
        'after',
        '\nThe file is self-contained (Chart.js inlined): it opens offline and makes no request.\n' +
          '\nExamples:\n  $ npx aquaseed report -o farm.html\n  $ npx aquaseed report --database-url postgres://me:pw@localhost/farm -o farm.html',
      ),
  ).action(async (flags: FarmFlags & { output: string }) => {
    await run(flags, () =>
      withTargetDatabase(flags, async (url) => {
        const file = resolve(flags.output);
        const report = await writeFarmReport(url, file);
        const failed = report.checks.checks.filter((check) => !check.pass).length;
        if (!flags.json) {
          process.stdout.write(
            `Wrote ${flags.output}: ${report.charts} charts${report.emptyCharts ? ` (${report.emptyCharts} without data)` : ''}, ` +
              `${report.checks.checks.length} checks (${failed === 0 ? 'all passed' : `${failed} failed`}) for database ${databaseOf(url)}.\n`,
          );
        } else {
          process.stdout.write(`${JSON.stringify({ file, database: databaseOf(url), charts: report.charts, emptyCharts: report.emptyCharts, checksPassed: report.checks.pass })}\n`);
        }
      }),
    );
  });
}

/** What `wipe` prints: totals, then the rows removed per table, largest first. */
export function formatWipe(result: WipeResult, seconds: number): string {
  const removed = Object.entries(result.removed).filter(([, n]) => n > 0).sort(([, a], [, b]) => b - a);
  const keptRows = Object.values(result.kept).reduce((a, b) => a + b, 0);
  const width = Math.max(0, ...removed.map(([name]) => name.length));
  const lines = [
    `Wiped database ${result.database} in ${seconds.toFixed(2)} s: removed ${number.format(result.totalRemoved)} rows from ${removed.length} tables.`,
    `  kept     ${number.format(keptRows)} rows of infrastructure and master data in ${Object.keys(result.kept).length} tables`,
    `  farm     ${result.previousKey ? `key ${result.previousKey} marked wiped` : 'was already wiped'}; \`aquaseed seed\` or \`up\` seeds it again`,
  ];
  if (removed.length > 0) {
    lines.push('', 'Rows removed per table:');
    for (const [name, n] of removed) lines.push(`  ${name.padEnd(width)}  ${number.format(n).padStart(9)}`);
  }
  return lines.join('\n');
}
