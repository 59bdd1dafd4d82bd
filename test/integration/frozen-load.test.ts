/**
 * How rows go into a fresh database: each table in one transaction that truncated it first, with
 * COPY FREEZE (src/db/copy-loader.ts, src/cache/logical.ts). Its rows are then frozen and its
 * pages (nearly all) all-visible from the start, so nothing rewrites them when they are first
 * read, and at the load settings' wal_level=minimal the rows write no WAL. A restore builds each
 * table's keys and indexes as soon as its rows are in; the catalog is the same. Checked for a generated seed with two workers and for its cache restore.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startEmbedded, type EmbeddedServer } from '../../src/provision/embedded.js';
import { queryOnce } from '../../src/db/client.js';
import { seedFarm } from '../../src/seed/seed-farm.js';

let server: EmbeddedServer;
let cacheDir: string;

beforeAll(async () => {
  server = await startEmbedded({ root: join(tmpdir(), 'aquaseed-test-embedded') });
  cacheDir = await mkdtemp(join(tmpdir(), 'aquaseed-frozen-'));
});

afterAll(async () => {
  await server?.stop();
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
});

interface TablePages {
  table: string;
  pages: number;
  visible: number;
}

/** Heap pages and all-visible pages (as the seed's ANALYZE counted them) of the farm's tables holding rows. */
async function pages(database: string): Promise<TablePages[]> {
  const { rows } = await queryOnce<TablePages>(
    server.url(database),
    `SELECT c.relname AS table, c.relpages AS pages, c.relallvisible AS visible
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relpages > 0 ORDER BY c.relname`,
  );
  return rows;
}

async function walBytes(): Promise<number> {
  return Number((await queryOnce<{ bytes: string }>(server.url('postgres'), 'SELECT wal_bytes::text AS bytes FROM pg_stat_wal')).rows[0]!.bytes);
}

async function seedInto(database: string): Promise<{ restored: boolean; wal: number; heap: number }> {
  await queryOnce(server.url('postgres'), `DROP DATABASE IF EXISTS ${database}`);
  await queryOnce(server.url('postgres'), `CREATE DATABASE ${database}`);
  const before = await walBytes();
  const farm = await seedFarm({ preset: 'tiny', workers: 2, server: { url: server.url(database) }, cache: { dir: cacheDir }, onNotice: () => {} });
  const restored = farm.summary.restored === true;
  await farm.close();
  const wal = (await walBytes()) - before;
  const heap = Number(
    (await queryOnce<{ bytes: string }>(server.url(database), `SELECT sum(pg_relation_size(c.oid))::text AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'`)).rows[0]!.bytes,
  );
  return { restored, wal, heap };
}

const seeds: Record<string, { restored: boolean; wal: number; heap: number }> = {};

beforeAll(async () => {
  // The second seed of the same preset and cache is served from the entry the first one wrote.
  seeds.frozen_generated = await seedInto('frozen_generated');
  seeds.frozen_restored = await seedInto('frozen_restored');
});

it.each([
  ['generated with two workers', 'frozen_generated', false],
  ['restored from the cache entry the first seed wrote', 'frozen_restored', true],
])('a farm %s has its pages all-visible and wrote a fraction of its rows as WAL', async (_how, database, restored) => {
  const seeded = seeds[database]!;
  expect(seeded.restored).toBe(restored);
  const tables = await pages(database);
  expect(tables.length).toBeGreaterThan(20);
  // PostgreSQL marks a page all-visible when a frozen insert starts it empty: the pages where one
  // COPY's rows (or one flush of 1,000) ended and the next one's began are not. Unfrozen: none are.
  expect(tables.filter((t) => t.pages >= 10 && t.visible === 0)).toEqual([]);
  const pagesOf = (key: 'pages' | 'visible'): number => tables.reduce((sum, t) => sum + t[key], 0);
  expect(pagesOf('visible')).toBeGreaterThan(pagesOf('pages') / 2);
  // Without FREEZE in one transaction per table, the rows' WAL was about their heap's size.
  expect(seeded.wal).toBeLessThan(seeded.heap / 4);
});

/** Every constraint and index of the farm's schema, as PostgreSQL prints them. */
async function catalog(database: string): Promise<string[]> {
  const constraints = await queryOnce<{ line: string }>(
    server.url(database),
    `SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS line FROM pg_constraint WHERE connamespace = 'public'::regnamespace`,
  );
  const indexes = await queryOnce<{ line: string }>(server.url(database), `SELECT indexdef AS line FROM pg_indexes WHERE schemaname = 'public'`);
  return [...constraints.rows, ...indexes.rows].map((row) => row.line).sort();
}

it('builds the same keys, foreign keys and indexes when a restore builds them while its tables load', async () => {
  const generated = await catalog('frozen_generated');
  expect(generated.length).toBeGreaterThan(300);
  expect(await catalog('frozen_restored')).toEqual(generated);
});
