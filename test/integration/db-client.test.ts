/**
 * aquaseed's one way to connect (src/db/client.ts): every session carries its application_name,
 * a transaction commits when its work returns and rolls back when it throws, the work's error
 * being the one reported, and a transaction left open across calls ends exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startEmbedded, type EmbeddedServer } from '../../src/provision/embedded.js';
import { APPLICATION_NAME, beginTransaction, queryOnce, withClient, withTransaction } from '../../src/db/client.js';

let server: EmbeddedServer;
let url: string;

beforeAll(async () => {
  server = await startEmbedded({ root: join(tmpdir(), 'aquaseed-test-embedded') });
  await queryOnce(server.url('postgres'), 'CREATE DATABASE db_client');
  url = server.url('db_client');
  await queryOnce(url, 'CREATE TABLE t (n int NOT NULL)');
});

afterAll(async () => {
  await server?.stop();
});

const rows = async (): Promise<number[]> => (await queryOnce<{ n: number }>(url, 'SELECT n FROM t ORDER BY n')).rows.map((row) => row.n);

describe('db/client.ts', () => {
  it('names every session aquaseed-<pid>', async () => {
    const name = await withClient(url, async (client) => (await client.query<{ name: string }>(`SELECT current_setting('application_name') AS name`)).rows[0]?.name);
    expect(name).toBe(APPLICATION_NAME);
    expect(APPLICATION_NAME).toBe(`aquaseed-${process.pid}`);
  });

  it('withTransaction commits what the work wrote, and rolls all of it back when the work throws, rethrowing its error', async () => {
    await queryOnce(url, 'TRUNCATE t');
    await withClient(url, (client) => withTransaction(client, async () => client.query('INSERT INTO t VALUES (1)')));
    expect(await rows()).toEqual([1]);
    const failure = new Error('the work failed');
    await expect(
      withClient(url, (client) =>
        withTransaction(client, async () => {
          await client.query('INSERT INTO t VALUES (2)');
          throw failure;
        }),
      ),
    ).rejects.toBe(failure);
    expect(await rows()).toEqual([1]);
  });

  it('withTransaction opens the transaction with the given BEGIN', async () => {
    const settings = await withClient(url, (client) =>
      withTransaction(
        client,
        async () =>
          (await client.query<{ level: string; readOnly: string }>(
            `SELECT current_setting('transaction_isolation') AS level, current_setting('transaction_read_only') AS "readOnly"`,
          )).rows[0],
        'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
      ),
    );
    expect(settings).toEqual({ level: 'repeatable read', readOnly: 'on' });
  });

  it('an open transaction rolls back when a step fails, and ends once: a later rollback() does not reach the session', async () => {
    await queryOnce(url, 'TRUNCATE t');
    await withClient(url, async (client) => {
      const transaction = await beginTransaction(client);
      await transaction.run(() => client.query('INSERT INTO t VALUES (3)'));
      await expect(transaction.run(() => client.query('INSERT INTO t VALUES (NULL)'))).rejects.toMatchObject({ code: '23502' });
      // Another transaction on the same session: a second ROLLBACK would take its row with it.
      await client.query('BEGIN');
      await client.query('INSERT INTO t VALUES (4)');
      await transaction.rollback();
      await client.query('COMMIT');
    });
    expect(await rows()).toEqual([4]);
  });
});
