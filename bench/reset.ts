/**
 * The `reset` section of the bench (`npm run bench -- --reset --preset 40-batch`): what writable
 * isolation costs on one preset, measured next to the copy it replaces, in the same run.
 *
 * - `reset` after a test whose app wrote 100 rows into 3 small tables, one INSERT per row
 *   (the target: under 100 ms on 40-batch), and after one that inserted 10,000
 *   environmental readings; each result verified against the seeded checksums of the tables written;
 * - the write path with and without change tracking (what tracking adds to an app's statements),
 *   and installing tracking on a new copy;
 * - a copy (`CREATE DATABASE … TEMPLATE`, what `clone` isolation pays per file) and taking a ready
 *   copy from the warm pool;
 * - disk: the template, a tracked copy's journal after the writes, the pool at its budget;
 * - the alternative to triggers that was not taken: how long an app's committed insert takes to
 *   show in PostgreSQL's table counters (pg_stat_all_tables) seen from another session.
 */
import { loadavg } from 'node:os';
import type pg from 'pg';
import { connectClient, withClient } from '../src/db/client.js';
import { seedFarm } from '../src/seed/seed-farm.js';
import { cloneDatabase, dropDatabase, siblingUrl } from '../src/db/clone.js';
import { ClonePool, takePooledCopy } from '../src/isolation/clone-pool.js';
import { trackChanges } from '../src/changes/tracking.js';
import { resetDatabase } from '../src/changes/reset.js';
import { ident } from '../src/schema/identifiers.js';

/** Three small AquaMind tables an app writes to (832, 14,431 and 42,030 rows on 40-batch). */
const SMALL_TABLES = ['health_journalentry', 'inventory_feedpurchase', 'batch_growthsample'] as const;
const RUNS = 5;

export interface ResetBenchResult {
  preset: string;
  conditions: { loadAverageBefore: number; loadAverageAfter: number; templateRestoredFromCache: boolean };
  copy: { cloneSeconds: number; pooledCloneSeconds: number; trackSeconds: number };
  hundredRows: { tables: string[]; writeSecondsUntracked: number; writeSecondsTracked: number; resetSeconds: number; resetSecondsAll: number[]; verified: boolean };
  tenThousandReadings: { insertSecondsUntracked: number; insertSecondsTracked: number; resetSeconds: number; resetSecondsAll: number[]; verified: boolean };
  emptyResetSeconds: number;
  disk: { templateMb: number; journalMbAfter10kReadings: number; poolCopies: number; poolBudgetMb: number; poolMb: number };
  catalogCounters: { insertVisibleAfterMs: number | null; statementsCounted: number | null };
}

export async function benchReset(preset: string): Promise<ResetBenchResult> {
  const loadAverageBefore = loadavg()[0]!;
  const template = await seedFarm(preset);
  try {
    const maintenance = siblingUrl(template.url, 'postgres');
    const source = template.summary.database;
    const templateBytes = await scalar(maintenance, 'SELECT pg_database_size($1)', [source]);

    // A copy per file: what `clone` isolation pays, and what a reset replaces.
    await copy(maintenance, source, 'bench_reset_warmup'); // learns whether the filesystem can reflink
    await dropDatabase(maintenance, 'bench_reset_warmup');
    const cloneRuns: number[] = [];
    for (let i = 0; i < 3; i++) {
      cloneRuns.push(await copy(maintenance, source, 'bench_reset_copy'));
      await dropDatabase(maintenance, 'bench_reset_copy');
    }

    // The untracked write path, on a plain copy.
    await copy(maintenance, source, 'bench_plain');
    const plain = siblingUrl(template.url, 'bench_plain');
    const untracked100 = median(await repeat(3, () => writeHundredRows(plain)));
    const untracked10k = median(await repeat(3, () => insertReadings(plain)));
    await dropDatabase(maintenance, 'bench_plain');

    // The tracked copy a `reset` worker works on.
    await copy(maintenance, source, 'bench_tracked');
    const tracked = siblingUrl(template.url, 'bench_tracked');
    const trackSeconds = await timed(() => withClient(tracked, (client) => trackChanges(client, 'bench_tracked')));
    // Resets run on one connection, as on a farm's pool; the first call in a session compiles the
    // reset function, so it runs once before anything is timed.
    const resetter = await connectClient(tracked);
    const reset = async (): Promise<number> => (await resetDatabase(resetter, 'bench_tracked')).seconds;
    await reset();
    const seededSmall = await checksums(tracked, SMALL_TABLES);
    const writes100: number[] = [];
    const resets100: number[] = [];
    let verified100 = true;
    for (let i = 0; i < RUNS; i++) {
      writes100.push(await writeHundredRows(tracked));
      resets100.push(await reset());
      verified100 &&= JSON.stringify(await checksums(tracked, SMALL_TABLES)) === JSON.stringify(seededSmall);
    }
    const seededReadings = await checksums(tracked, ['environmental_environmentalreading']);
    const inserts10k: number[] = [];
    const resets10k: number[] = [];
    let verified10k = true;
    let journalBytes = 0;
    for (let i = 0; i < 3; i++) {
      inserts10k.push(await insertReadings(tracked));
      journalBytes = await scalar(tracked, `SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'aquaseed_reset' AND c.relkind = 'r'`);
      resets10k.push(await reset());
      verified10k &&= JSON.stringify(await checksums(tracked, ['environmental_environmentalreading'])) === JSON.stringify(seededReadings);
    }
    const emptyResets = await repeat(RUNS, reset);
    await resetter.end();
    const counters = await catalogCounterLag(tracked);
    await dropDatabase(maintenance, 'bench_tracked');

    // The warm pool: a ready copy is taken by a rename.
    const dataDirectory = await value(maintenance, `SELECT current_setting('data_directory')`);
    const pool = await ClonePool.start({ templateUrl: template.url, size: 1, dataDirectory, onNotice: (line) => console.log(line) });
    const pooledRuns: number[] = [];
    let poolStats = pool.stats();
    try {
      for (let i = 0; i < 3; i++) {
        await pool.settled();
        poolStats = pool.stats();
        if (poolStats.ready === 0) break;
        pooledRuns.push(await timed(async () => {
          if (!(await takePooledCopy(template.url, 'bench_pooled'))) throw new Error('the pool held no ready copy');
          await scalar(siblingUrl(template.url, 'bench_pooled'), 'SELECT 1');
        }));
        await dropDatabase(maintenance, 'bench_pooled');
        // The pool hears of the take by NOTIFY: wait until it has made the next copy.
        while (pool.stats().made < i + 2 && pool.stats().target > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await pool.close();
    }

    return {
      preset,
      conditions: { loadAverageBefore: round(loadAverageBefore), loadAverageAfter: round(loadavg()[0]!), templateRestoredFromCache: template.summary.restored === true },
      copy: { cloneSeconds: round(median(cloneRuns)), pooledCloneSeconds: pooledRuns.length ? round(median(pooledRuns)) : -1, trackSeconds: round(trackSeconds) },
      hundredRows: {
        tables: [...SMALL_TABLES],
        writeSecondsUntracked: round(untracked100),
        writeSecondsTracked: round(median(writes100)),
        resetSeconds: round(median(resets100)),
        resetSecondsAll: resets100.map(round),
        verified: verified100,
      },
      tenThousandReadings: {
        insertSecondsUntracked: round(untracked10k),
        insertSecondsTracked: round(median(inserts10k)),
        resetSeconds: round(median(resets10k)),
        resetSecondsAll: resets10k.map(round),
        verified: verified10k,
      },
      emptyResetSeconds: round(median(emptyResets)),
      disk: {
        templateMb: mb(templateBytes),
        journalMbAfter10kReadings: mb(journalBytes),
        poolCopies: poolStats.target,
        poolBudgetMb: mb(poolStats.budgetBytes),
        poolMb: mb(poolStats.peakBytes),
      },
      catalogCounters: counters,
    };
  } finally {
    await template.close();
  }
}

/** 100 rows, one INSERT each, spread over the three small tables, from the app's own connection. */
async function writeHundredRows(url: string): Promise<number> {
  return withClient(url, async (app) => {
    const statements: string[] = [];
    for (const [i, table] of SMALL_TABLES.entries()) {
      const columns = await insertableColumns(app, table);
      const list = columns.map(ident).join(', ');
      const count = i === 0 ? 34 : 33;
      for (let n = 0; n < count; n++) statements.push(`INSERT INTO ${table} (${list}) SELECT ${list} FROM ${table} ORDER BY id OFFSET ${n} LIMIT 1`);
    }
    return timed(async () => {
      for (const statement of statements) await app.query(statement);
    });
  });
}

/** 10,000 readings in one INSERT (a second after existing ones, so the key stays unique). */
async function insertReadings(url: string): Promise<number> {
  return withClient(url, (app) =>
    timed(() =>
      app.query(`INSERT INTO environmental_environmentalreading (value, reading_time, is_manual, notes, created_at, batch_id, container_id, parameter_id, recorded_by_id, sensor_id, batch_container_assignment_id)
                 SELECT value, reading_time + interval '1 second', is_manual, notes, created_at, batch_id, container_id, parameter_id, recorded_by_id, sensor_id, batch_container_assignment_id
                   FROM environmental_environmentalreading ORDER BY id LIMIT 10000`),
    ));
}

/**
 * The table counters' view of an app's committed insert from another session: PostgreSQL flushes
 * a backend's counters when it goes idle, at most once a second (up to 10 s later), so they lag.
 */
async function catalogCounterLag(url: string): Promise<{ insertVisibleAfterMs: number | null; statementsCounted: number | null }> {
  return withClient(url, (observer) =>
    withClient(url, async (app) => {
      const count = async (): Promise<number> =>
        Number((await observer.query<{ n: string }>(`SELECT n_tup_ins AS n FROM pg_stat_all_tables WHERE relid = 'health_journalentry'::regclass`)).rows[0]!.n);
      await observer.query(`SET stats_fetch_consistency = none`);
      const before = await count();
      const columns = (await insertableColumns(app, 'health_journalentry')).map(ident).join(', ');
      await app.query(`INSERT INTO health_journalentry (${columns}) SELECT ${columns} FROM health_journalentry ORDER BY id LIMIT 1`);
      const committed = performance.now();
      const seenAtOnce = (await count()) - before;
      let lag: number | null = null;
      while (performance.now() - committed < 15_000) {
        if ((await count()) > before) {
          lag = performance.now() - committed;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await resetDatabase(observer, databaseName(url));
      return { insertVisibleAfterMs: lag === null ? null : Math.round(lag), statementsCounted: seenAtOnce };
    }),
  );
}

async function insertableColumns(client: pg.Client, table: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attidentity = '' AND attgenerated = '' ORDER BY attnum`,
    [table],
  );
  return rows.map((row) => row.name);
}

async function checksums(url: string, tables: readonly string[]): Promise<string[]> {
  return withClient(url, async (client) => {
    const out: string[] = [];
    for (const table of tables) {
      const { rows } = await client.query<{ sum: string }>(`SELECT count(*) || ':' || coalesce(md5(string_agg(md5(t::text), '' ORDER BY id)), '') AS sum FROM ${table} t`);
      out.push(rows[0]!.sum);
    }
    for (const table of tables) {
      const { rows } = await client.query<{ name: string }>(`SELECT pg_get_serial_sequence($1, 'id') AS name`, [table]);
      const state = await client.query<{ state: string }>(`SELECT format('%s/%s', last_value, is_called) AS state FROM ${rows[0]!.name}`);
      out.push(state.rows[0]!.state);
    }
    return out;
  });
}

async function copy(maintenance: string, source: string, target: string): Promise<number> {
  return timed(() => cloneDatabase(maintenance, source, target));
}

async function scalar(url: string, text: string, params: unknown[] = []): Promise<number> {
  return Number(await value(url, text, params));
}

async function value(url: string, text: string, params: unknown[] = []): Promise<string> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<Record<string, unknown>>(text, params);
    return String(Object.values(rows[0] ?? {})[0] ?? '');
  });
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

async function timed(body: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await body();
  return (performance.now() - started) / 1000;
}

async function repeat(times: number, body: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) out.push(await body());
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function mb(bytes: number): number {
  return Math.round(bytes / 2 ** 20);
}
