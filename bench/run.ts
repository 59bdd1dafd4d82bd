/**
 * `npm run bench [-- --preset single-batch …]`: seeds each preset on a fresh embedded server,
 * measures every phase, peak RSS and database size, and in the same run the raw-COPY reload of the
 * same rows (bench/baseline.ts). Writes bench/results.json; ratios, not absolute seconds, compare
 * across noisy machines.
 */
import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startEmbedded } from '../src/provision/embedded.js';
import { defaultCacheDir } from '../src/cache-dir.js';
import { planSchedule } from '../src/schedule/plan.js';
import { scheduleKey } from '../src/schedule/hash.js';
import { seedDatabase } from '../src/seed/seed-database.js';
import { packageRoot } from '../src/package-root.js';
import type { TableName } from '../src/db/tables/index.js';
import { reloadBaseline } from './baseline.js';

const { values } = parseArgs({ options: { preset: { type: 'string', multiple: true }, output: { type: 'string' } } });
const presets = values.preset ?? ['single-batch'];
const output = values.output ?? join(packageRoot(), 'bench', 'results.json');

const results = [];
for (const preset of presets) {
  const schedule = planSchedule(preset);
  const serverStart = performance.now();
  const server = await startEmbedded({ root: join(defaultCacheDir(), 'embedded') });
  const serverSeconds = (performance.now() - serverStart) / 1000;
  try {
    const admin = new pg.Client({ connectionString: server.url('postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE bench');
    await admin.end();
    const url = server.url('bench');
    const rssBefore = process.resourceUsage().maxRSS;
    const seed = await seedDatabase({ url, database: 'bench', schedule, key: scheduleKey(schedule) });
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const size = await client.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
    await client.end();
    const counts = new Map(Object.entries(seed.rowCounts) as [TableName, number][]);
    const baseline = await reloadBaseline(url, counts);
    const result = {
      preset,
      batches: schedule.batches.length,
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
    };
    results.push(result);
    console.log(
      `${preset}: seed ${result.seconds.seed} s after a ${result.seconds.serverStart} s server start ` +
        `(${result.rows.toLocaleString('en-US')} rows, ${result.rowsPerSecond.toLocaleString('en-US')} rows/s), ` +
        `reload baseline ${result.baseline.reloadSeconds} s → ratio ${result.ratioToReload}x; ` +
        `peak RSS ${result.peakRssMb} MB; database ${result.databaseMb} MB`,
    );
  } finally {
    await server.stop();
  }
}

const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version };
await writeFile(output, `${JSON.stringify({ machine, results }, null, 2)}\n`);
console.log(`wrote ${output}`);

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
