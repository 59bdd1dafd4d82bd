/**
 * farm.clone(): an isolated copy per test or worker, dropped on close; the user's own sessions on
 * the seeded database are never killed, they get a clear error instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFarm, type Farm } from '../../src/index.js';
import { queryOnce } from '../../src/db/client.js';
import { connectApp } from '../support/app-connection.js';

let farm: Farm;

beforeAll(async () => {
  farm = await seedFarm('single-batch');
});

afterAll(async () => {
  await farm?.close();
});

async function databaseExists(name: string): Promise<boolean> {
  return (await queryOnce(farm.url, 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
}

describe('farm.clone()', () => {
  it('makes an isolated copy with the same rows, dropped on close', async () => {
    await farm.db.selectFrom('batch_batch').select('id').execute(); // the farm's pool holds a session
    const clone = await farm.clone();
    expect(clone.database).not.toBe(new URL(farm.url).pathname.slice(1));
    // FILE_COPY: shared blocks where the filesystem can (PostgreSQL 18's file_copy_method = clone), else a file copy.
    expect(['reflink', 'file copy']).toContain(clone.copy.method);
    expect(clone.copy.seconds).toBeGreaterThan(0);
    expect(await clone.db.selectFrom('environmental_environmentalreading').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())
      .toEqual(await farm.db.selectFrom('environmental_environmentalreading').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst());
    await clone.db.deleteFrom('batch_mortalityevent').execute();
    const left = await farm.db.selectFrom('batch_mortalityevent').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirst();
    expect(Number(left?.n)).toBeGreaterThan(10_000);
    await clone.close();
    expect(await databaseExists(clone.database)).toBe(false);
  });

  it('supports WAL_LOG as well as FILE_COPY', async () => {
    const clone = await farm.clone({ strategy: 'WAL_LOG' });
    expect(await databaseExists(clone.database)).toBe(true);
    expect(clone.copy.method).toBe('WAL log');
    await clone.close();
  });

  it('refuses with a clear error while another session uses the seeded database', async () => {
    // An app's session: aquaseed closes only its own sessions, and refuses to copy under anyone else's.
    const other = await connectApp(farm.url);
    try {
      await expect(farm.clone()).rejects.toMatchObject({ code: 'AQUASEED_DATABASE_BUSY' });
    } finally {
      await other.end();
    }
  });

  it('drops the clones still open when the farm closes', async () => {
    // A farm on a server it does not own (a URL), so the server outlives it and the drop shows.
    await queryOnce(farm.url, 'CREATE DATABASE clone_owner');
    const own = await seedFarm({ preset: 'single-batch', databaseUrl: farm.url.replace(/\/[^/]+$/, '/clone_owner') });
    const clone = await own.clone();
    expect(await databaseExists(clone.database)).toBe(true);
    await own.close();
    expect(await databaseExists(clone.database)).toBe(false);
  });
});
