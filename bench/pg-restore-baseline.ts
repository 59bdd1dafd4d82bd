/**
 * `npm run bench -- --pg-restore [--preset <name>] [--jobs <n>]`: the honest baseline. On one fresh
 * Debian PostgreSQL 15 cluster (bench/system-postgres.ts, the embedded server's load settings), in
 * one run: the first seed whole (seedFarm into a URL, its logical cache entry written), then
 * PostgreSQL's own `pg_dump -Fd -j n -Z0` and `pg_restore -j n` of the seeded database, then a
 * second seedFarm of the same preset restored from the cache entry. pg_restore is the yardstick:
 * the first seed and the cache restore are reported as ratios to it, with the seed's phases.
 */
import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryOnce } from '../src/db/client.js';
import { seedFarm } from '../src/seed/seed-farm.js';
import type { SeedTimings } from '../src/seed/seed-result.js';
import { loadNow, round } from './copy-timings.js';
import { startSystemPostgres, systemBin, SYSTEM_MAJOR } from './system-postgres.js';

export interface PgRestoreResult {
  preset: string;
  server: string;
  jobs: number;
  rows: number;
  databaseMb: number;
  /** seedFarm from call to farm, the cache entry's writing included. */
  firstSeedSeconds: number;
  /** Its phases, as the seed reports them (snapshot: the cache entry). */
  phases: SeedTimings;
  pgDumpSeconds: number;
  pgRestoreSeconds: number;
  ratioFirstSeedToPgRestore: number;
  /** A second seedFarm of the preset into a new database, served from the logical cache entry. */
  cacheRestoreSeconds: number;
  ratioCacheRestoreToPgRestore: number;
  /** Load average (1, 5, 15 min) before the seed and after the last step. */
  loadBefore: number[];
  loadAfter: number[];
}

export async function benchPgRestore(preset: string, jobs = availableParallelism()): Promise<PgRestoreResult> {
  const bin = systemBin();
  const work = await mkdtemp(join(tmpdir(), 'aquaseed-bench-pg-restore-'));
  // The cluster below runs as the postgres user when the bench runs as root.
  await chmod(work, 0o755);
  const pg = await startSystemPostgres(join(work, 'pg'));
  try {
    const version = (await queryOnce<{ v: string }>(pg.url('postgres'), `SELECT current_setting('server_version') AS v`)).rows[0]!.v.split(' ')[0];
    const cache = { dir: join(work, 'cache') };
    const loadBefore = loadNow();
    await queryOnce(pg.url('postgres'), 'CREATE DATABASE bench');
    let started = performance.now();
    const farm = await seedFarm({ preset, server: { url: pg.url('bench') }, cache, onNotice: () => {} });
    const firstSeedSeconds = (performance.now() - started) / 1000;
    const { timings: phases, totalRows } = farm.summary;
    await farm.close();
    const size = await queryOnce<{ bytes: string }>(pg.url('bench'), 'SELECT pg_database_size(current_database()) AS bytes');

    const dump = join(work, 'dump');
    const pgDumpSeconds = timed(join(bin, 'pg_dump'), ['-Fd', '-j', String(jobs), '-Z0', '-f', dump, pg.url('bench')]);
    await queryOnce(pg.url('postgres'), 'CREATE DATABASE bench_pg_restore');
    const pgRestoreSeconds = timed(join(bin, 'pg_restore'), ['-j', String(jobs), '-d', pg.url('bench_pg_restore'), dump]);
    await rm(dump, { recursive: true, force: true });
    await queryOnce(pg.url('postgres'), 'DROP DATABASE bench_pg_restore');

    // full-saturation is 13 GB a copy: the seeded database has done its part, give its disk back.
    await queryOnce(pg.url('postgres'), 'DROP DATABASE bench WITH (FORCE)');
    await queryOnce(pg.url('postgres'), 'CREATE DATABASE bench_cache');
    started = performance.now();
    const restored = await seedFarm({ preset, server: { url: pg.url('bench_cache') }, cache, onNotice: () => {} });
    const cacheRestoreSeconds = (performance.now() - started) / 1000;
    if (!restored.summary.restored) throw new Error(`the second seed of ${preset} was not served from the cache entry the first one wrote`);
    await restored.close();

    const result: PgRestoreResult = {
      preset,
      server: `system PostgreSQL ${version} (Debian postgresql-${SYSTEM_MAJOR}, load settings)`,
      jobs,
      rows: totalRows,
      databaseMb: Math.round(Number(size.rows[0]?.bytes ?? 0) / 2 ** 20),
      firstSeedSeconds: round(firstSeedSeconds),
      phases: Object.fromEntries(Object.entries(phases).map(([phase, seconds]) => [phase, round(seconds)])) as unknown as SeedTimings,
      pgDumpSeconds: round(pgDumpSeconds),
      pgRestoreSeconds: round(pgRestoreSeconds),
      ratioFirstSeedToPgRestore: round(firstSeedSeconds / pgRestoreSeconds),
      cacheRestoreSeconds: round(cacheRestoreSeconds),
      ratioCacheRestoreToPgRestore: round(cacheRestoreSeconds / pgRestoreSeconds),
      loadBefore,
      loadAfter: loadNow(),
    };
    console.log(
      `${preset} on ${result.server}: first seed ${result.firstSeedSeconds} s (${JSON.stringify(result.phases)}), ` +
        `pg_dump -j ${jobs} ${result.pgDumpSeconds} s, pg_restore -j ${jobs} ${result.pgRestoreSeconds} s → ${result.ratioFirstSeedToPgRestore}x; ` +
        `restore from the cache ${result.cacheRestoreSeconds} s → ${result.ratioCacheRestoreToPgRestore}x; load ${loadBefore.join(' ')} → ${result.loadAfter.join(' ')}`,
    );
    return result;
  } finally {
    await pg.stop();
    await rm(work, { recursive: true, force: true });
  }
}

/** Runs a client tool to completion, in seconds; its error output if it fails. */
function timed(command: string, args: string[]): number {
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.error?.message}`);
  return (performance.now() - started) / 1000;
}
