/**
 * readChanges(): what an app wrote through its own connections to a tracked database, per table,
 * with values typed as the farm's pool returns them; on a seeded farm's tracked clone it looks up
 * only the touched keys (no scan of the written table).
 */
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedFarm, type Farm, type FarmClone } from '../../src/index.js';
import { readChanges } from '../../src/changes/changes.js';
import { resetDatabase } from '../../src/changes/reset.js';
import { createTrackedDatabase, type TrackedDatabase } from '../support/tracked-database.js';

let farm: Farm;

beforeAll(async () => {
  farm = await seedFarm('tiny');
});

afterAll(async () => {
  await farm?.close();
});

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('readChanges on a small tracked database', () => {
  let db: TrackedDatabase;

  beforeAll(async () => {
    db = await createTrackedDatabase(farm.url, `changes_${process.pid}`);
  });

  afterAll(async () => {
    await db?.drop();
  });

  beforeEach(async () => {
    await withClient(db.url, (client) => resetDatabase(client, 'changes'));
  });

  it('reports nothing before anything is written', async () => {
    expect(await withClient(db.url, (client) => readChanges(client))).toEqual({});
  });

  it('gives inserted, updated (before, after, columns) and deleted rows with typed values, in key order', async () => {
    await db.write(
      `INSERT INTO note (title, amount, day, data) VALUES ('fourth', 4.25, '2025-11-21', '{"x": [1, 2]}')`,
      `UPDATE note SET title = 'first, edited', amount = 9 WHERE id = 1`,
      `UPDATE note SET amount = 10 WHERE id = 1`,
      `DELETE FROM note WHERE id = 3`,
    );
    const changes = await withClient(db.url, (client) => readChanges(client));
    expect(Object.keys(changes)).toEqual(['note']);
    const note = changes.note!;
    expect(note.inserted).toEqual([
      {
        id: 4,
        title: 'fourth',
        amount: 4.25,
        day: '2025-11-21',
        at: new Date('2025-11-21T06:00:00Z'),
        tags: [],
        data: { x: [1, 2] },
        blob: null,
        span: null,
        done: false,
      },
    ]);
    // Two updates: before is the row as tracked, after the row now.
    expect(note.updated).toHaveLength(1);
    expect(note.updated[0]!.before).toMatchObject({ id: 1, title: 'first', amount: 1.5, tags: ['a', 'b'], data: { k: 1 } });
    expect(note.updated[0]!.before.blob).toEqual(Buffer.from([1, 2]));
    expect(note.updated[0]!.after).toMatchObject({ id: 1, title: 'first, edited', amount: 10 });
    expect(note.updated[0]!.columns).toEqual(['title', 'amount']);
    expect(note.deleted).toEqual([expect.objectContaining({ id: 3, title: 'third' })]);
    expect(note.whole).toBeUndefined();
  });

  it('leaves out rows written back to what they were, and rows inserted then deleted', async () => {
    await db.write(
      `UPDATE note SET title = title`,
      `UPDATE pair SET value = 99 WHERE a = 1 AND b = 'x'`,
      `UPDATE pair SET value = 10 WHERE a = 1 AND b = 'x'`,
      `INSERT INTO note (title) VALUES ('gone')`,
      `DELETE FROM note WHERE title = 'gone'`,
    );
    expect(await withClient(db.url, (client) => readChanges(client))).toEqual({});
  });

  it('pairs rows by composite key, and reports a changed key as one row deleted and one inserted', async () => {
    await db.write(`UPDATE pair SET value = value + 1 WHERE a = 1`, `UPDATE pair SET a = 3 WHERE a = 2`);
    const { pair } = await withClient(db.url, (client) => readChanges(client));
    expect(pair!.updated.map(({ before, after }) => [before.b, before.value, after.value])).toEqual([
      ['x', 10, 11],
      ['y', 11, 12],
    ]);
    expect(pair!.deleted).toEqual([{ a: 2, b: 'x', value: 20 }]);
    expect(pair!.inserted).toEqual([{ a: 3, b: 'x', value: 20 }]);
  });

  it('compares a table without a primary key as a multiset of whole rows, and marks it whole', async () => {
    await db.write(`DELETE FROM log_line WHERE ctid = (SELECT min(ctid) FROM log_line WHERE line = 'boot')`, `UPDATE log_line SET n = 3 WHERE line = 'ready'`, `INSERT INTO log_line VALUES ('boot', 1)`, `INSERT INTO log_line VALUES ('request', NULL)`);
    const { log_line: log } = await withClient(db.url, (client) => readChanges(client));
    expect(log!.whole).toBe(true);
    expect(log!.updated).toEqual([]);
    // One 'boot' went and another came back: the multiset is unchanged for it.
    expect(log!.deleted).toEqual([{ line: 'ready', n: 2 }]);
    expect(log!.inserted).toEqual(expect.arrayContaining([{ line: 'ready', n: 3 }, { line: 'request', n: null }]));
    expect(log!.inserted).toHaveLength(2);
  });

  it('names tables outside public by schema, counts TRUNCATE as deletes, and filters by name or pattern', async () => {
    await db.write(`INSERT INTO app.session VALUES ('s1', 'logged in')`, `TRUNCATE pair`, `UPDATE note SET done = true WHERE id = 2`);
    const all = await withClient(db.url, (client) => readChanges(client));
    expect(Object.keys(all).sort()).toEqual(['app.session', 'note', 'pair']);
    expect(all['app.session']!.inserted).toEqual([{ key: 's1', data: 'logged in' }]);
    expect(all.pair!.deleted).toHaveLength(3);
    const some = await withClient(db.url, (client) => readChanges(client, { tables: ['public.note', /session/] }));
    expect(Object.keys(some).sort()).toEqual(['app.session', 'note']);
  });

  it('starts again from nothing after a reset', async () => {
    await db.write(`INSERT INTO note (title) VALUES ('temporary')`);
    expect(Object.keys(await withClient(db.url, (client) => readChanges(client)))).toEqual(['note']);
    await withClient(db.url, (client) => resetDatabase(client, 'changes'));
    expect(await withClient(db.url, (client) => readChanges(client))).toEqual({});
  });

  it('fails with AQUASEED_NOT_TRACKED on a database that does not track its changes', async () => {
    await expect(withClient(farm.url, (client) => readChanges(client))).rejects.toMatchObject({
      code: 'AQUASEED_NOT_TRACKED',
      message: expect.stringContaining('does not track its changes'),
    });
  });
});

describe('readChanges on a seeded farm', () => {
  let clone: FarmClone;

  beforeAll(async () => {
    clone = await farm.clone({ resettable: true });
  });

  afterAll(async () => {
    await clone?.close();
  });

  it('reads a form-sized write by key lookups only, whatever the size of the written tables', async () => {
    await withClient(clone.url, async (app) => {
      await app.query(`INSERT INTO batch_mortalityevent (event_date, count, biomass_kg, cause, description, created_at, updated_at, batch_id, assignment_id)
        SELECT '2025-11-21', 250, 12.5, 'DISEASE', 'from the form', now(), now(), batch_id, assignment_id FROM batch_mortalityevent ORDER BY id LIMIT 1`);
      await app.query(`UPDATE environmental_environmentalreading SET value = value + 1 WHERE id = (SELECT min(id) FROM environmental_environmentalreading)`);
    });
    const scans = await withClient(clone.url, async (client) => {
      await client.query('BEGIN');
      const changes = await readChanges(client);
      // This transaction's own scans of the written tables: index probes, no sequential scan.
      const { rows } = await client.query<{ relname: string; seq_scan: string; idx_scan: string }>(
        `SELECT relname, seq_scan, idx_scan FROM pg_stat_xact_user_tables WHERE relname IN ('batch_mortalityevent', 'environmental_environmentalreading') ORDER BY relname`,
      );
      await client.query('COMMIT');
      return { changes, rows };
    });
    expect(Object.keys(scans.changes)).toEqual(['batch_mortalityevent', 'environmental_environmentalreading']);
    expect(scans.changes.batch_mortalityevent!.inserted).toEqual([
      expect.objectContaining({ event_date: '2025-11-21', count: 250, biomass_kg: 12.5, cause: 'DISEASE', created_at: expect.any(Date) }),
    ]);
    expect(scans.changes.environmental_environmentalreading!.updated[0]!.columns).toEqual(['value']);
    expect(scans.rows.map((row) => [row.relname, Number(row.seq_scan), Number(row.idx_scan) > 0])).toEqual([
      ['batch_mortalityevent', 0, true],
      ['environmental_environmentalreading', 0, true],
    ]);
  });
});
