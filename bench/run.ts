/**
 * `npm run bench [-- --preset single-batch …]`: seeds each preset on a fresh embedded server,
 * measures every phase, peak RSS and database size, and in the same run the raw-COPY reload of the
 * same rows (bench/baseline.ts) and a seed of the same schedule into an existing AquaMind schema
 * (`existingSchemaSeconds`, `ratioExistingToFresh`; `--no-existing-schema` skips it). Writes
 * bench/results.json (or `--output`); ratios, not absolute seconds, compare across noisy machines.
 *
 * `--external <url>` runs the same against the PostgreSQL the URL points at (its user needs
 * CREATEDB; the URL's database is only connected to), `--cpu-hogs <n>` keeps n busy loops running
 * beside the whole run (a shared CI machine), and the soak (20 seedFarm('tiny') / clone / close
 * cycles on the embedded server, timed against the 150 s the soak test once asserted; `--no-soak`
 * skips it) runs after the presets. Each result records which server and how many hogs it had.
 * `--reset` runs only the reset section (bench/reset.ts) and replaces only its `resets` entries;
 * `--pg-restore` only the pg_restore baseline (bench/pg-restore-baseline.ts: the first seed whole
 * against `pg_dump`/`pg_restore -j <--jobs>` on Debian's PostgreSQL 15) and its `pgRestoreBaseline`
 * entries; `--reflink` only the copy-on-write section (bench/reflink.ts: as root, clone and restore on this
 * machine's disk and on a loop-mounted XFS image with reflink) and its `copyOnWrite` entries.
 * `--app` only the app section (bench/app.ts), replacing only its `apps` entries.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { connectClient, queryOnce, withClient } from '../src/db/client.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { startEmbedded, type EmbeddedServer } from '../src/provision/embedded.js';
import { externalServer, openExternal } from '../src/provision/external.js';
import type { PostgresServer } from '../src/provision/server.js';
import { seedFarm } from '../src/seed/seed-farm.js';
import { SnapshotStore } from '../src/cache/snapshot-store.js';
import { defaultCacheDir } from '../src/host/cache-dir.js';
import { planSchedule } from '../src/preset-files/resolve.js';
import { scheduleKey } from '../src/cache/key.js';
import { seedDatabase, type SeedResult } from '../src/seed/seed-database.js';
import type { Schedule } from '../src/schedule/types.js';
import { createAquaMindDatabase, foreignKeyViolations, invalidConstraints } from './aquamind-database.js';
import { packageRoot } from '../src/host/package-root.js';
import { writtenTableNames, type TableName } from '../src/schema/tables/index.js';
import { reloadBaseline } from './baseline.js';
import { benchReset } from './reset.js';
import { loadNow, round, timeClones, timeRestore } from './copy-timings.js';
import { benchReflink } from './reflink.js';
import { benchPgRestore } from './pg-restore-baseline.js';
import { benchApp } from './app.js';

const { values } = parseArgs({
  options: {
    preset: { type: 'string', multiple: true },
    output: { type: 'string' },
    workers: { type: 'string' },
    // Skips the existing-schema figure (a second full seed per preset).
    'no-existing-schema': { type: 'boolean' },
    external: { type: 'string' },
    'cpu-hogs': { type: 'string' },
    'no-soak': { type: 'boolean' },
    // Runs only the reset section (bench/reset.ts): writable isolation on each preset.
    reset: { type: 'boolean' },
    // Runs only the copy-on-write section (bench/reflink.ts): clone and restore on the own disk and on XFS with reflink.
    reflink: { type: 'boolean' },
    // Runs only the pg_restore baseline (bench/pg-restore-baseline.ts): the first seed whole against pg_dump/pg_restore -j <jobs> on PostgreSQL 15.
    'pg-restore': { type: 'boolean' },
    jobs: { type: 'string' },
    // Runs only the app section (bench/app.ts): the Django example's template, start, resets, changes().
    app: { type: 'boolean' },
  },
});
/** The bound the soak test once asserted (20 cycles in 150 s on a quiet machine), now a bench figure. */
const SOAK_BOUND_SECONDS = 150;
const SOAK_CYCLES = 20;
const cpuHogs = values['cpu-hogs'] ? Number(values['cpu-hogs']) : 0;
if (!Number.isInteger(cpuHogs) || cpuHogs < 0) throw new Error(`--cpu-hogs takes a whole number, got ${values['cpu-hogs']}`);
const workersFlag = values.workers ? Number(values.workers) : undefined;
const presets = values.preset ?? ['single-batch'];
const output = values.output ?? join(packageRoot(), 'bench', 'results.json');

const RESULTS_NOTE =
  'Each preset measured in its own `npm run bench -- --preset <name>` run; `server` says which PostgreSQL (a fresh embedded one, or --external) and `cpuHogs` how many busy loops ran beside it; baseline = same run, same server.';

/** A bench target: a fresh embedded server, or the --external one (its major version read from it). */
interface BenchServer {
  server: PostgresServer;
  embedded: EmbeddedServer | null;
  label: string;
}

async function benchServer(): Promise<BenchServer> {
  if (values.external) {
    const target = await openExternal(values.external);
    const server = { ...externalServer(values.external), maintenanceDatabase: target.database };
    const version = await queryOne<{ v: string }>(values.external, `SELECT current_setting('server_version') AS v`);
    return { server, embedded: null, label: `external PostgreSQL ${version.v.split(' ')[0]}` };
  }
  const embedded = await startEmbedded({ root: join(defaultCacheDir(), 'embedded') });
  return { server: embedded, embedded, label: `embedded PostgreSQL ${embedded.major}` };
}

async function queryOne<R extends pg.QueryResultRow>(url: string, text: string): Promise<R> {
  return (await queryOnce<R>(url, text)).rows[0] as R;
}

/** `n` busy loops in child processes, the load of other jobs on a shared machine. */
function startCpuHogs(n: number): ChildProcess[] {
  return Array.from({ length: n }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}

const hogs = startCpuHogs(cpuHogs);
process.once('exit', () => hogs.forEach((hog) => hog.kill('SIGKILL')));

if (values.reset) {
  await writeResetResults(output, presets);
  process.exit(0);
}
if (values['pg-restore']) {
  await writePgRestoreResults(output, presets);
  process.exit(0);
}
if (values.reflink) {
  await writeReflinkResults(output, presets);
  process.exit(0);
}

if (values.app) {
  await writeAppResults(output, presets);
  process.exit(0);
}

const results = [];
for (const preset of presets) {
  const schedule = planSchedule(preset);
  const workers = workersFlag ?? schedule.workers ?? 1;
  const serverStart = performance.now();
  const { server, embedded, label } = await benchServer();
  const serverSeconds = (performance.now() - serverStart) / 1000;
  const maintenance = server.url(server.maintenanceDatabase);
  try {
    await withClient(maintenance, async (admin) => {
      await admin.query('DROP DATABASE IF EXISTS bench');
      await admin.query('CREATE DATABASE bench');
    });
    const url = server.url('bench');
    const rssBefore = process.resourceUsage().maxRSS;
    const seed = await seedDatabase({ url, database: 'bench', schedule, key: scheduleKey(schedule), workers });
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const size = await queryOnce<{ bytes: string }>(url, 'SELECT pg_database_size(current_database()) AS bytes');
    const counts = new Map(Object.entries(seed.rowCounts) as [TableName, number][]);
    const baseline = await reloadBaseline(url, counts);
    const existing = values['no-existing-schema'] ? null : await timeExistingSchema(server, schedule, workers);
    const clone = await timeClones(maintenance, 'bench', await localDataDirectory(maintenance));
    // The physical snapshot cache is the embedded provider's; another server restores logically.
    const restore = embedded
      ? await withTempDir('aquaseed-bench-cache-', (dir) => timeRestore(embedded, new SnapshotStore(dir), join(defaultCacheDir(), 'embedded'), { preset, ...seed }))
      : null;
    const result = {
      preset,
      server: label,
      cpuHogs,
      batches: schedule.batches.length,
      workers,
      rows: seed.totalRows,
      seconds: {
        serverStart: round(serverSeconds),
        seed: round(seed.timings.total),
        generateLoad: round(seed.timings.generateLoad),
        keys: round(seed.timings.keys),
        indexes: round(seed.timings.indexes),
        analyze: round(seed.timings.analyze),
        publish: round(seed.timings.publish),
      },
      rowsPerSecond: Math.round(seed.totalRows / seed.timings.total),
      peakRssMb: Math.round(peakRssMb),
      rssBeforeSeedMb: Math.round(rssBefore / 1024),
      databaseMb: Math.round(Number(size.rows[0]?.bytes ?? 0) / 2 ** 20),
      baseline: {
        reloadSeconds: round(baseline.reloadSeconds),
        copySeconds: round(baseline.copySeconds),
        keysAndIndexesSeconds: round(baseline.finalizeSeconds),
        copyMb: Math.round(baseline.bytes / 2 ** 20),
        rowsPerSecond: Math.round(seed.totalRows / baseline.copySeconds),
      },
      ratioToReload: round(seed.timings.total / baseline.reloadSeconds),
      ...(existing
        ? {
            existingSchema: {
              seconds: round(existing.timings.total),
              generateLoad: round(existing.timings.generateLoad),
              copyIn: round(existing.timings.publish),
              keysAndIndexes: round(existing.timings.indexes),
              analyze: round(existing.timings.analyze),
              database: 'AquaMind cb410300 as migrated (test/fixtures/aquamind-cb410300)',
              foreignKeyViolations: existing.foreignKeyViolations,
              invalidConstraints: existing.invalidConstraints,
            },
            existingSchemaSeconds: round(existing.timings.total),
            ratioExistingToFresh: round(existing.timings.total / seed.timings.total),
          }
        : {}),
      ...(restore ? { cache: (({ snapshot: _snapshot, ...timings }) => timings)(restore) } : {}),
      clone,
      load: loadNow(),
    };
    results.push(result);
    console.log(
      `${preset} (${label}${cpuHogs ? `, ${cpuHogs} CPU hogs` : ''}): seed ${result.seconds.seed} s after a ${result.seconds.serverStart} s server start ` +
        `(${result.rows.toLocaleString('en-US')} rows, ${result.rowsPerSecond.toLocaleString('en-US')} rows/s), ` +
        `reload baseline ${result.baseline.reloadSeconds} s → ratio ${result.ratioToReload}x; ` +
        (result.existingSchema
          ? `into an existing AquaMind schema ${result.existingSchema.seconds} s → ${result.ratioExistingToFresh}x fresh; `
          : '') +
        `peak RSS ${result.peakRssMb} MB; database ${result.databaseMb} MB; ` +
        (result.cache ? `restore from cache ${result.cache.restoreSeconds} s by ${result.cache.method} (plain copy ${result.cache.plainCopySeconds} s); ` : '') +
        `clone ${result.clone.seconds} s by ${result.clone.method} (raw FILE_COPY ${result.clone.rawFileCopySeconds} s, WAL_LOG ${result.clone.rawWalLogSeconds} s); load ${result.load.join(' ')}`,
    );
  } finally {
    if (embedded) await embedded.stop();
    else await dropBenchDatabases(maintenance);
  }
}

const soak = values['no-soak'] ? null : await timeSoak();
if (soak) console.log(`soak: ${soak.cycles} seedFarm('tiny')/clone/close cycles in ${soak.seconds} s (${soak.secondsPerCycle} s each; bound ${soak.boundSeconds} s)`);
hogs.forEach((hog) => hog.kill('SIGKILL'));

const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version };
// One preset per run keeps a long bench within reach: the presets measured now replace their own
// entries, the others stay as they were measured before.
const previous = await readResults(output);
await writeFile(
  output,
  `${JSON.stringify({ ...previous, machine, note: RESULTS_NOTE, results: [...keptResults(previous, results), ...results], soak: soak ?? previous.soak }, null, 2)}\n`,
);
console.log(`wrote ${output}`);

async function readResults(file: string): Promise<Record<string, unknown>> {
  const text = await readFile(file, 'utf8').catch(() => null);
  return text === null ? {} : (JSON.parse(text) as Record<string, unknown>);
}

/** The reset section alone: its entries (`resets`, one per preset) replace their own, nothing else changes. */
async function writeResetResults(file: string, measured: string[]): Promise<void> {
  const fresh = [];
  for (const preset of measured) {
    const result = await benchReset(preset);
    fresh.push(result);
    console.log(
      `${preset}: reset after 100 rows in 3 small tables ${ms(result.hundredRows.resetSeconds)} (a copy: ${ms(result.copy.cloneSeconds)}); ` +
        `after 10,000 readings ${ms(result.tenThousandReadings.resetSeconds)}; nothing written ${ms(result.emptyResetSeconds)}; ` +
        `pooled copy ${ms(result.copy.pooledCloneSeconds)}; tracking ${ms(result.copy.trackSeconds)}; ` +
        `100 writes ${ms(result.hundredRows.writeSecondsUntracked)} untracked, ${ms(result.hundredRows.writeSecondsTracked)} tracked; ` +
        `journal ${result.disk.journalMbAfter10kReadings} MB; pool ${result.disk.poolCopies} × ${result.disk.templateMb} MB within ${result.disk.poolBudgetMb} MB; ` +
        `verified ${result.hundredRows.verified && result.tenThousandReadings.verified}`,
    );
  }
  const previous = await readResults(file);
  const others = ((previous.resets as { preset: string }[] | undefined) ?? []).filter((entry) => !measured.includes(entry.preset));
  await writeFile(file, `${JSON.stringify({ ...previous, resets: [...others, ...fresh] }, null, 2)}\n`);
  console.log(`wrote the reset section of ${file}`);
}

/** The pg_restore section alone: its entries (`pgRestoreBaseline`, one per preset) replace their own. */
async function writePgRestoreResults(file: string, measured: string[]): Promise<void> {
  const jobs = values.jobs ? Number(values.jobs) : undefined;
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) throw new Error(`--jobs takes a whole number of at least 1, got ${values.jobs}`);
  const fresh = [];
  for (const preset of measured) fresh.push(await benchPgRestore(preset, jobs));
  const previous = await readResults(file);
  const others = ((previous.pgRestoreBaseline as { preset: string }[] | undefined) ?? []).filter((entry) => !measured.includes(entry.preset));
  await writeFile(file, `${JSON.stringify({ ...previous, pgRestoreBaseline: [...others, ...fresh] }, null, 2)}\n`);
  console.log(`wrote the pg_restore section of ${file}`);
}

/** The copy-on-write section alone: its entries (`copyOnWrite`, per preset and filesystem) replace their own. */
async function writeReflinkResults(file: string, measured: string[]): Promise<void> {
  const fresh = [];
  for (const preset of measured) fresh.push(...(await benchReflink(preset)));
  const previous = await readResults(file);
  const others = ((previous.copyOnWrite as { preset: string }[] | undefined) ?? []).filter((entry) => !measured.includes(entry.preset));
  await writeFile(file, `${JSON.stringify({ ...previous, copyOnWrite: [...others, ...fresh] }, null, 2)}\n`);
  console.log(`wrote the copy-on-write section of ${file}`);
}

function ms(seconds: number): string {
  return `${Math.round(seconds * 1000)} ms`;
}

interface ResultIdentity {
  preset: string;
  server?: string;
  cpuHogs?: number;
}

/** The results of other runs (another preset, server kind or load), kept as they were measured. */
function keptResults(previous: Record<string, unknown>, measured: readonly ResultIdentity[]): ResultIdentity[] {
  // Older entries name no server: they were embedded ones without hogs.
  const kind = (r: ResultIdentity): string => `${r.preset}|${r.server?.startsWith('external') ? 'external' : 'embedded'}|${r.cpuHogs ?? 0}`;
  const replaced = new Set(measured.map(kind));
  return ((previous.results as ResultIdentity[] | undefined) ?? []).filter((result) => !replaced.has(kind(result)));
}

/** Drops what the bench made on an external server (it is not ours to stop). */
async function dropBenchDatabases(maintenance: string): Promise<void> {
  await withClient(maintenance, async (admin) => {
    for (const database of ['bench', 'bench_existing', 'bench_clone']) await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  });
}

/**
 * The soak test's cycles, timed: seedFarm('tiny') restored from its snapshot, a clone made and
 * dropped, the farm closed; 20 times after one cycle that writes the snapshot.
 */
async function timeSoak(): Promise<{ cycles: number; seconds: number; secondsPerCycle: number; boundSeconds: number; withinBound: boolean; cpuHogs: number }> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'aquaseed-bench-soak-'));
  try {
    const cycle = async (): Promise<void> => {
      const farm = await seedFarm({ preset: 'tiny', cacheDir, onNotice: () => {} });
      try {
        await (await farm.clone()).close();
      } finally {
        await farm.close();
      }
    };
    await cycle();
    const started = performance.now();
    for (let i = 0; i < SOAK_CYCLES; i++) await cycle();
    const seconds = (performance.now() - started) / 1000;
    return {
      cycles: SOAK_CYCLES,
      seconds: round(seconds),
      secondsPerCycle: round(seconds / SOAK_CYCLES),
      boundSeconds: SOAK_BOUND_SECONDS,
      withinBound: seconds < SOAK_BOUND_SECONDS,
      cpuHogs,
    };
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}

/**
 * The same schedule seeded in existing-schema mode into AquaMind's own database as Django's
 * migrate builds it (bench/aquamind-database.ts, from the catalog fixture, built untimed); then,
 * untimed, every foreign key of that catalog is checked against the rows (the farm's own ones
 * stay in place with their triggers off during the load) and every constraint must be valid. The
 * database is dropped afterwards.
 */
async function timeExistingSchema(
  server: PostgresServer,
  schedule: Schedule,
  workers: number,
): Promise<SeedResult & { foreignKeyViolations: number; invalidConstraints: number }> {
  const database = 'bench_existing';
  const admin = await connectClient(server.url(server.maintenanceDatabase));
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin.query(`CREATE DATABASE ${database}`);
    const setup = await connectClient(server.url(database));
    try {
      await createAquaMindDatabase(setup);
      const result = await seedDatabase({ url: server.url(database), database, schedule, key: scheduleKey(schedule), workers, existingSchema: true });
      const violations = await foreignKeyViolations(setup, writtenTableNames);
      if (violations.length > 0) throw new Error(`existing-schema seed broke foreign keys: ${JSON.stringify(violations)}`);
      const invalid = await invalidConstraints(setup);
      if (invalid.length > 0) throw new Error(`existing-schema seed left constraints NOT VALID: ${invalid.join(', ')}`);
      return { ...result, foreignKeyViolations: violations.length, invalidConstraints: invalid.length };
    } finally {
      await setup.end();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database}`).catch(() => {});
    await admin.end();
  }
}

/** The server's data directory when it is on this machine (what a clone writes is measured there), else null. */
async function localDataDirectory(url: string): Promise<string | null> {
  const dir = await queryOnce<{ dir: string }>(url, `SELECT current_setting('data_directory') AS dir`).then((r) => r.rows[0]?.dir ?? null, () => null);
  return dir && existsSync(dir) ? dir : null;
}

async function withTempDir<T>(prefix: string, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The app section alone (bench/app.ts): measured per preset, replacing only those `apps` entries. */
async function writeAppResults(file: string, measured: string[]): Promise<void> {
  const fresh = [];
  for (const preset of measured) {
    const result = await benchApp(preset);
    fresh.push(result);
    const list = (values: number[]) => values.map((value) => value.toFixed(2)).join(', ');
    console.log(
      `${preset}: migrated template ${result.template.firstSeconds.toFixed(1)} s (migrate ${result.template.migrateSeconds.toFixed(1)} s, setup ${result.template.setupSeconds.toFixed(1)} s), cached ${result.template.cachedSeconds.toFixed(1)} s; ` +
        `app start ${list(result.appStartSeconds)} s; reset with the pool idle ${(result.reset.idlePoolSeconds * 1000).toFixed(0)} ms, with an open transaction ${(result.reset.openTransactionSeconds * 1000).toFixed(0)} ms; ` +
        `changes() ${result.changes.milliseconds.map((ms) => ms.toFixed(1)).join(', ')} ms (median ${result.changes.medianMs.toFixed(1)}); ` +
        `load ${result.conditions.loadAverageBefore.toFixed(1)} → ${result.conditions.loadAverageAfter.toFixed(1)}`,
    );
  }
  const previous = await readResults(file);
  const others = ((previous.apps as { preset: string }[] | undefined) ?? []).filter((entry) => !measured.includes(entry.preset));
  await writeFile(file, `${JSON.stringify({ ...previous, apps: [...others, ...fresh] }, null, 2)}\n`);
}
