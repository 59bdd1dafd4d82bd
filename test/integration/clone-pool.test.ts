/**
 * The warm pool: copies of a template made in the background, several at once, taken by
 * renaming, never more than the disk budget holds (checked against the server's own database
 * sizes), and saying so when the budget limits it.
 */
import { statfs } from 'node:fs/promises';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openFarm, seedFarm, type Farm } from '../../src/index.js';
import { ClonePool, takePooledCopy, type ClonePoolStats } from '../../src/isolation/clone-pool.js';
import { dropDatabase, siblingUrl } from '../../src/db/clone.js';
import { queryOnce } from '../../src/db/client.js';
import { connectApp } from '../support/app-connection.js';

let template: Farm;
let maintenance: string;
let copyBytes: number;

async function query<R extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<R[]> {
  return (await queryOnce<R>(maintenance, text, params)).rows;
}

/** What the pool's copies really take on the server, by PostgreSQL's own measure. */
async function poolBytesOnServer(): Promise<{ copies: number; bytes: number }> {
  const [row] = await query<{ copies: string; bytes: string | null }>(
    `SELECT count(*) AS copies, sum(pg_database_size(oid)) AS bytes FROM pg_database WHERE shobj_description(oid, 'pg_database') LIKE 'aquaseed pool copy of %'`,
  );
  return { copies: Number(row!.copies), bytes: Number(row!.bytes ?? 0) };
}

beforeAll(async () => {
  // Like a global setup, nothing here connects to the template: copying needs it free.
  template = await seedFarm('tiny');
  maintenance = siblingUrl(template.url, 'postgres');
  // A vacuumed template keeps its size: autovacuum, which would otherwise truncate or add files
  // while the pool measures it, has nothing left to do.
  await queryOnce(template.url, 'VACUUM (ANALYZE)');
  copyBytes = Number((await query<{ bytes: string }>('SELECT pg_database_size($1) AS bytes', [template.summary.database]))[0]!.bytes);
});

afterAll(async () => {
  await template?.close();
});

/** A pool whose state reports and notices the test keeps (`seen`, `notices`), passed on to `options`' own. */
async function watchedPool(options: Parameters<typeof ClonePool.start>[0]) {
  const seen: ClonePoolStats[] = [];
  const notices: string[] = [];
  const pool = await ClonePool.start({
    ...options,
    onChange: (stats) => {
      seen.push(stats);
      options.onChange?.(stats);
    },
    onNotice: (message) => {
      notices.push(message);
      options.onNotice?.(message);
    },
  });
  return { pool, seen, notices };
}

/**
 * A copy or two of tiny takes seconds; the bound turns a pool that never gets there (it stopped,
 * or miscounts: a CI run once hung 900 s) into a failure naming the state and what the pool said.
 */
const POOL_WAIT = { timeout: 100_000, interval: 50 };
const heard = (notices: string[]): string => `the pool said: ${notices.length ? notices.join(' | ') : 'nothing'}`;
const poolState = (notices: string[]): string => `the pool's state (${heard(notices)})`;

describe('ClonePool', () => {
  it('never holds more than its budget, says so when the budget limits it, and refills what is taken', async () => {
    const budget = Math.floor(copyBytes * 2.5);
    const { pool, seen, notices } = await watchedPool({ templateUrl: template.url, size: 4, maxPoolBytes: budget, onNotice: () => {} });
    const taken: string[] = [];
    try {
      await vi.waitFor(() => expect(pool.stats(), poolState(notices)).toMatchObject({ ready: 2, making: 0 }), POOL_WAIT);
      expect(notices).toEqual([expect.stringMatching(/^aquaseed: warm pool of aquaseed_tiny keeps 2 of the 4 copies asked for ready: maxPoolBytes [\d,]+ MB holds 2 of [\d,]+ MB$/)]);
      expect(pool.stats()).toMatchObject({ ready: 2, target: 2, budgetBytes: budget, copyBytes });
      const full = await poolBytesOnServer();
      expect(full.copies).toBe(2);
      expect(full.bytes).toBeLessThanOrEqual(budget);

      // Two workers at once get two different copies, each of them a whole farm.
      expect(await Promise.all([takePooledCopy(template.url, 'pool_taken_a'), takePooledCopy(template.url, 'pool_taken_b')])).toEqual([true, true]);
      taken.push('pool_taken_a', 'pool_taken_b');
      const copy = await openFarm(siblingUrl(template.url, 'pool_taken_a'));
      expect(await copy.counts()).toEqual(expect.objectContaining({ batch_batch: 4 }));
      await copy.close();
      await vi.waitFor(() => expect(pool.stats(), poolState(notices)).toMatchObject({ taken: 2, ready: 2, making: 0 }), POOL_WAIT);

      // Every take is answered by a new copy, up to the budget and no further.
      for (const name of ['pool_taken_c', 'pool_taken_d', 'pool_taken_e']) {
        expect(await takePooledCopy(template.url, name)).toBe(true);
        taken.push(name);
        await vi.waitFor(() => expect(pool.stats(), poolState(notices)).toMatchObject({ taken: taken.length, ready: 2, making: 0 }), POOL_WAIT);
        const onServer = await poolBytesOnServer();
        expect(onServer.copies).toBe(2);
        expect(onServer.bytes).toBeLessThanOrEqual(budget);
      }
      expect(pool.stats()).toMatchObject({ made: 2 + taken.length, taken: taken.length });
      expect(seen.length).toBeGreaterThan(10);
      expect(Math.max(...seen.map((stats) => stats.bytes))).toBeLessThanOrEqual(budget);
      expect(pool.stats().peakBytes).toBeLessThanOrEqual(budget);
    } finally {
      await pool.close();
      for (const name of taken) await dropDatabase(maintenance, name);
    }
    expect(await poolBytesOnServer()).toEqual({ copies: 0, bytes: 0 });
  }, 900_000); // seven copies: a hang guard only, a busy machine takes minutes

  it('makes copies in parallel, up to its parallel setting and never past the budget', async () => {
    // Three copies wanted, room for four: two lanes make them two at a time.
    const { pool, seen, notices } = await watchedPool({ templateUrl: template.url, size: 3, parallel: 2, maxPoolBytes: copyBytes * 4, onNotice: () => {} });
    try {
      expect(pool.stats()).toMatchObject({ target: 3, parallel: 2 });
      await vi.waitFor(() => expect(pool.stats(), poolState(notices)).toMatchObject({ ready: 3, making: 0 }), POOL_WAIT);
      const making = seen.map((stats) => stats.making);
      expect(Math.max(...making)).toBe(2);
      expect(Math.max(...seen.map((stats) => stats.ready + stats.making))).toBeLessThanOrEqual(3);
      expect(await poolBytesOnServer()).toMatchObject({ copies: 3 });
    } finally {
      await pool.close();
    }

    // A budget of two and a half copies holds two: as many lanes, however many were asked for.
    const tight = await watchedPool({ templateUrl: template.url, size: 3, parallel: 3, maxPoolBytes: Math.floor(copyBytes * 2.5), onNotice: () => {} });
    try {
      expect(tight.pool.stats()).toMatchObject({ target: 2, parallel: 2 });
      await vi.waitFor(() => expect(tight.pool.stats(), poolState(tight.notices)).toMatchObject({ ready: 2, making: 0 }), POOL_WAIT);
      expect(Math.max(...tight.seen.map((stats) => stats.making))).toBe(2);
      expect(Math.max(...tight.seen.map((stats) => stats.bytes))).toBeLessThanOrEqual(Math.floor(copyBytes * 2.5));
      const onServer = await poolBytesOnServer();
      expect(onServer.copies).toBe(2);
      expect(onServer.bytes).toBeLessThanOrEqual(Math.floor(copyBytes * 2.5));
    } finally {
      await tight.pool.close();
    }
    expect(await poolBytesOnServer()).toEqual({ copies: 0, bytes: 0 });
  }, 900_000);

  it('counts a copy taken while the next one is being made', async () => {
    // Counting takes by the drop in ready copies missed this one: one copy taken, one made, the
    // number unchanged. A wait for `taken === 2` then never ended (a CI run hung 900 s on it).
    const taken: string[] = [];
    const takes: Promise<boolean>[] = [];
    let refilling = false;
    // The second take comes from the pool's own report that it is making the replacement copy.
    const takeWhileMaking = (stats: ClonePoolStats): void => {
      if (refilling && stats.making === 1 && takes.length === 1) {
        taken.push('pool_during_b');
        takes.push(takePooledCopy(template.url, 'pool_during_b'));
      }
    };
    const { pool, notices } = await watchedPool({ templateUrl: template.url, size: 2, maxPoolBytes: copyBytes * 3, onNotice: () => {}, onChange: takeWhileMaking });
    try {
      await vi.waitFor(() => expect(pool.stats(), poolState(notices)).toMatchObject({ ready: 2, making: 0 }), POOL_WAIT);
      refilling = true;
      taken.push('pool_during_a');
      takes.push(takePooledCopy(template.url, 'pool_during_a'));
      await vi.waitFor(() => expect(pool.stats(), poolState(notices)).toMatchObject({ made: 4, ready: 2, making: 0 }), POOL_WAIT);
      expect(takes).toHaveLength(2);
      expect(await Promise.all(takes)).toEqual([true, true]);
      expect(pool.stats()).toMatchObject({ made: 4, taken: 2, ready: 2 });
    } finally {
      await pool.close();
      for (const name of taken) await dropDatabase(maintenance, name);
    }
  }, 900_000);

  it('tries a failed copy again at the next take, and stops after three failures in a row', async () => {
    // An app connected to the template makes every copy fail (AQUASEED_DATABASE_BUSY) until it leaves.
    const connectTheApp = (): Promise<pg.Client> => connectApp(template.url, 'an app under test');
    // A closed client's server session can outlive end() for a moment: wait until it is gone.
    const endApp = async (client: pg.Client): Promise<void> => {
      await client.end();
      const appSessions = async (): Promise<number> => (await query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'an app under test'`)).length;
      await expect.poll(appSessions, { ...POOL_WAIT, message: "the app's session to leave the server after end()" }).toBe(0);
    };
    let app = await connectTheApp();
    const taken: string[] = [];
    const { pool, notices } = await watchedPool({ templateUrl: template.url, size: 1, maxPoolBytes: copyBytes * 2, onNotice: () => {} });
    const noticed = (count: number): Promise<void> =>
      vi.waitFor(() => expect(notices.length, `notice ${count} of the pool (${heard(notices)})`).toBeGreaterThanOrEqual(count), POOL_WAIT);
    const couldNot = /^aquaseed: warm pool of aquaseed_tiny could not make a copy \(cannot clone database "aquaseed_tiny": 1 other session\(s\) are connected to it \(an app under test\)\); it tries again when a file takes or asks for one$/;
    try {
      await noticed(1);
      expect(await takePooledCopy(template.url, 'pool_retry_none', { demand: true })).toBe(false);
      await noticed(2);
      expect(notices).toEqual([expect.stringMatching(couldNot), expect.stringMatching(couldNot)]);
      expect(pool.stats()).toMatchObject({ ready: 0, made: 0 });

      // The app leaves: the next demand gets a copy, and the count of failures starts again.
      await endApp(app);
      expect(await takePooledCopy(template.url, 'pool_retry_none', { demand: true })).toBe(false);
      await vi.waitFor(() => expect(pool.stats(), poolState(notices)).toMatchObject({ ready: 1, making: 0 }), POOL_WAIT);
      expect(notices).toHaveLength(2);

      app = await connectTheApp();
      expect(await takePooledCopy(template.url, 'pool_retry_a')).toBe(true);
      taken.push('pool_retry_a');
      await noticed(3);
      expect(await takePooledCopy(template.url, 'pool_retry_b', { demand: true })).toBe(false);
      await noticed(4);
      expect(await takePooledCopy(template.url, 'pool_retry_b', { demand: true })).toBe(false);
      await noticed(5);
      expect(notices.slice(2, 4)).toEqual([expect.stringMatching(couldNot), expect.stringMatching(couldNot)]);
      expect(notices[4]).toMatch(/^aquaseed: warm pool of aquaseed_tiny stopped making copies: 3 copies in a row failed, the last with: cannot clone database "aquaseed_tiny"/);

      // Stopped for good: a later demand, with the app gone, makes nothing.
      await endApp(app);
      expect(await takePooledCopy(template.url, 'pool_retry_b', { demand: true })).toBe(false);
      await pool.settled();
      expect(pool.stats()).toMatchObject({ ready: 0, made: 1, taken: 1 });
      expect(await poolBytesOnServer()).toEqual({ copies: 0, bytes: 0 });
    } finally {
      await app.end().catch(() => {});
      await pool.close();
      for (const name of taken) await dropDatabase(maintenance, name);
    }
  }, 900_000);

  it('makes no copy, and says so, when one copy is more than the budget', async () => {
    const notices: string[] = [];
    const pool = await ClonePool.start({ templateUrl: template.url, maxPoolBytes: copyBytes - 1, onNotice: (message) => notices.push(message) });
    try {
      await pool.settled();
      expect(notices).toEqual([expect.stringMatching(/warm pool of aquaseed_tiny is off: maxPoolBytes [\d,]+ MB holds no copy of [\d,]+ MB/)]);
      expect(pool.stats()).toMatchObject({ target: 0, ready: 0, made: 0 });
      expect(await takePooledCopy(template.url, 'pool_none', { demand: true })).toBe(false);
      expect(await poolBytesOnServer()).toEqual({ copies: 0, bytes: 0 });
    } finally {
      await pool.close();
    }
  });

  it('waits for the first demand when it is not to prefill, and sizes its default budget by the free disk', async () => {
    const dir = (await query<{ dir: string }>(`SELECT current_setting('data_directory') AS dir`))[0]!.dir;
    const free = await statfs(dir);
    const { pool, notices } = await watchedPool({ templateUrl: template.url, size: 1, prefill: false, dataDirectory: dir, onNotice: () => {} });
    try {
      const budget = pool.stats().budgetBytes;
      expect(budget).toBeGreaterThan(0);
      expect(budget).toBeLessThanOrEqual(free.blocks * free.bsize * 0.25);
      await pool.settled();
      expect(pool.stats()).toMatchObject({ ready: 0, made: 0 });
      expect(await takePooledCopy(template.url, 'pool_demand', { demand: true })).toBe(false);
      await vi.waitFor(() => expect(pool.stats(), poolState(notices)).toMatchObject({ ready: 1, making: 0 }), POOL_WAIT);
      expect(await takePooledCopy(template.url, 'pool_demand')).toBe(true);
    } finally {
      await pool.close();
      await dropDatabase(maintenance, 'pool_demand');
    }
  });

  it('refuses a budget or size that is not a number, naming it', async () => {
    await expect(ClonePool.start({ templateUrl: template.url, maxPoolBytes: -1 })).rejects.toMatchObject({
      code: 'AQUASEED_INVALID_OPTION',
      message: expect.stringContaining('maxPoolBytes -1'),
    });
    await expect(ClonePool.start({ templateUrl: template.url, size: 1.5 })).rejects.toMatchObject({ code: 'AQUASEED_INVALID_OPTION' });
    await expect(ClonePool.start({ templateUrl: template.url, parallel: 0 })).rejects.toMatchObject({
      code: 'AQUASEED_INVALID_OPTION',
      message: expect.stringContaining('pool parallel 0'),
    });
  });
});
