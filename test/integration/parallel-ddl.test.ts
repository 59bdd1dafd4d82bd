/**
 * The statement scheduler of the index phase (src/db/parallel.ts): statements marked `shared`
 * (index builds) may run side by side on one table, any other statement has its table alone;
 * every statement runs once; a failing one stops the rest and is named; with a gate, statements
 * on a table still loading wait for it, and a failed load stops them.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startEmbedded, type EmbeddedServer } from '../../src/provision/embedded.js';
import { queryOnce } from '../../src/db/client.js';
import { runParallel, TableGate } from '../../src/db/parallel.js';
import type { DdlStatement } from '../../src/db/ddl.js';
import type { TableName } from '../../src/schema/tables/index.js';

let server: EmbeddedServer;
let url: string;

beforeAll(async () => {
  server = await startEmbedded({ root: join(tmpdir(), 'aquaseed-test-embedded') });
  await queryOnce(server.url('postgres'), 'DROP DATABASE IF EXISTS parallel_ddl');
  await queryOnce(server.url('postgres'), 'CREATE DATABASE parallel_ddl');
  url = server.url('parallel_ddl');
  await queryOnce(url, 'CREATE TABLE runs (id text PRIMARY KEY, tbl text NOT NULL, shared boolean NOT NULL, started timestamptz NOT NULL, ended timestamptz NOT NULL)');
});

afterAll(async () => {
  await server?.stop();
});

/** A statement that records when it ran on the server's clock, with some work in between (no sleep). */
function statement(id: string, table: string, shared: boolean): DdlStatement {
  const sql = `INSERT INTO runs SELECT '${id}', '${table}', ${shared}, clock_timestamp(), clock_timestamp() + interval '1 hour';
    SELECT sum(g) FROM generate_series(1, 200000) g;
    UPDATE runs SET ended = clock_timestamp() WHERE id = '${id}'`;
  return { table: table as TableName, sql, ...(shared ? { lock: 'shared' as const } : {}) };
}

it('runs every statement once, and one without `shared` beside no other statement on its table', async () => {
  const statements = [
    ...['a1', 'a2', 'a3', 'a4'].map((id) => statement(id, 'table_a', true)),
    statement('a-check', 'table_a', false),
    statement('a-analyze', 'table_a', false),
    statement('b1', 'table_b', true),
    statement('b-check', 'table_b', false),
    statement('b-analyze', 'table_b', false),
    statement('c1', 'table_c', false),
  ];
  const weight = (s: DdlStatement): number => ({ table_a: 10, table_b: 5 }[s.table as string] ?? 1) + (s.lock ? 0 : 0.5);
  await runParallel(url, statements, 3, weight);

  const { rows } = await queryOnce<{ id: string; tbl: string; shared: boolean; started: Date; ended: Date }>(url, 'SELECT * FROM runs ORDER BY started');
  expect(rows.map((row) => row.id).sort()).toEqual(statements.map((s) => /'([^']+)'/.exec(s.sql)?.[1]).sort());
  for (const alone of rows.filter((row) => !row.shared)) {
    const beside = rows.filter((row) => row !== alone && row.tbl === alone.tbl && row.started < alone.ended && alone.started < row.ended);
    expect(beside.map((row) => row.id), `statements on ${alone.tbl} while ${alone.id} ran`).toEqual([]);
  }
});

it('stops at a failing statement and names it', async () => {
  const failing: DdlStatement = { table: 'table_a' as TableName, sql: 'SELECT * FROM no_such_table' };
  await expect(runParallel(url, [failing, statement('after', 'table_b', false)], 1, (s) => (s === failing ? 1 : 0))).rejects.toThrow(
    /relation "no_such_table" does not exist in: SELECT \* FROM no_such_table/,
  );
  expect((await queryOnce(url, `SELECT 1 FROM runs WHERE id = 'after'`)).rowCount).toBe(0);
});

it('with a gate, starts no statement on a table before the gate opens it', async () => {
  const gate = new TableGate();
  const statements = [statement('g-a1', 'gated_a', true), statement('g-a2', 'gated_a', false), statement('g-b1', 'gated_b', true)];
  const done = runParallel(url, statements, 2, () => 0, gate);
  gate.opened('gated_b' as TableName);
  // gated_b's statement runs while gated_a still "loads"; then the load of gated_a ends.
  await vi.waitFor(async () => expect((await queryOnce(url, `SELECT 1 FROM runs WHERE id = 'g-b1' AND ended < started + interval '1 hour'`)).rowCount).toBe(1), {
    timeout: 60_000,
    interval: 50,
  });
  expect((await queryOnce(url, `SELECT id FROM runs WHERE id LIKE 'g-a%'`)).rows).toEqual([]);
  await queryOnce(url, `INSERT INTO runs VALUES ('g-opened', 'gated_a', false, clock_timestamp(), clock_timestamp())`);
  gate.opened('gated_a' as TableName);
  await done;
  const { rows } = await queryOnce<{ id: string }>(url, `SELECT id FROM runs WHERE id LIKE 'g-a%' AND started > (SELECT started FROM runs WHERE id = 'g-opened') ORDER BY id`);
  expect(rows.map((row) => row.id)).toEqual(['g-a1', 'g-a2']);
});

it('with a gate, a failed load stops the statements still waiting for their table, with its error', async () => {
  const gate = new TableGate();
  const done = runParallel(url, [statement('f-a1', 'failed_a', true)], 1, () => 0, gate);
  gate.fail(new Error('COPY into failed_a failed: disk full'));
  await expect(done).rejects.toThrow('COPY into failed_a failed: disk full');
  expect((await queryOnce(url, `SELECT 1 FROM runs WHERE id = 'f-a1'`)).rowCount).toBe(0);
});
