/**
 * reset(): an app writes to a tracked clone through its own connections, in every way SQL
 * allows, and the reset puts every table and sequence back exactly (whole-database checksums).
 */
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { sql } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFarm, seedFarm, type Farm, type FarmClone } from '../../src/index.js';
import { connectApp, stateOf } from '../support/app-connection.js';
import { queryOnce, withClient } from '../../src/db/client.js';
import { startEmbedded } from '../../src/provision/embedded.js';

let farm: Farm;

beforeAll(async () => {
  farm = await seedFarm('tiny');
});

afterAll(async () => {
  await farm?.close();
});

/** The app under test: its sessions carry this name, which a reset that waits for them reports. */
const APP = 'farm-app';

/** States the tests wait for come within seconds; the bound only turns a hang into a failure that names them. */
const STATE_WAIT = { timeout: 60_000, interval: 50 };

/** Whether a process runs (signal 0 checks, sends nothing). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const insertMortality = `INSERT INTO batch_mortalityevent (event_date, count, biomass_kg, cause, description, created_at, updated_at, batch_id, assignment_id)
  SELECT event_date, 1, 0.1, 'UNKNOWN', 'written by the app', now(), now(), batch_id, assignment_id FROM batch_mortalityevent ORDER BY id LIMIT 1 RETURNING id`;

describe('reset() after an app wrote through its own connection', () => {
  let clone: FarmClone;
  let app: pg.Client;

  beforeAll(async () => {
    clone = await farm.clone({ resettable: true });
    app = await connectApp(clone.url, APP);
  });

  afterAll(async () => {
    await app?.end();
    await clone?.close();
  });

  it('puts every table and sequence back exactly, and the next insert gets the id a fresh copy gives', async () => {
    const seeded = await stateOf(clone.url);
    const firstId = Number((await app.query<{ id: string }>(insertMortality)).rows[0]!.id);

    // Updates (twice: the pristine row is the one before the first), deletes, a key change.
    await app.query(`UPDATE inventory_feedingevent SET notes = 'first' WHERE id IN (SELECT id FROM inventory_feedingevent ORDER BY id LIMIT 5)`);
    await app.query(`UPDATE inventory_feedingevent SET notes = 'second', amount_kg = amount_kg + 1 WHERE id IN (SELECT id FROM inventory_feedingevent ORDER BY id LIMIT 10)`);
    await app.query(`DELETE FROM health_journalentry WHERE id IN (SELECT id FROM health_journalentry ORDER BY id LIMIT 3)`);
    await app.query(`UPDATE health_journalentry SET id = id + 1000000 WHERE id = (SELECT max(id) FROM health_journalentry)`);
    // An upsert of an existing row, and a row inserted then deleted again.
    await app.query(`INSERT INTO batch_batch SELECT * FROM batch_batch ORDER BY id LIMIT 1 ON CONFLICT (id) DO UPDATE SET notes = 'upserted'`);
    const gone = await app.query<{ id: string }>(insertMortality);
    await app.query('DELETE FROM batch_mortalityevent WHERE id = $1', [gone.rows[0]!.id]);
    // TRUNCATE, and COPY of rows that clash with nothing.
    await app.query('TRUNCATE inventory_feedingevent');
    const copied = (await app.query<{ line: string }>(
      `SELECT concat_ws(E'\\t', id + 500000, event_date, count, biomass_kg, cause, description, created_at, updated_at, batch_id, assignment_id) AS line
         FROM batch_mortalityevent ORDER BY id LIMIT 3`,
    )).rows.map((row) => `${row.line}\n`);
    await pipeline(
      Readable.from(copied),
      app.query(copyFrom('COPY batch_mortalityevent (id, event_date, count, biomass_kg, cause, description, created_at, updated_at, batch_id, assignment_id) FROM STDIN')),
    );
    // Sequences move without any row: a rolled-back insert, nextval(), setval().
    await app.query('BEGIN');
    await app.query(`INSERT INTO batch_batch SELECT * FROM batch_batch ORDER BY id LIMIT 0`);
    await app.query(insertMortality);
    await app.query('ROLLBACK');
    await app.query(`SELECT nextval(pg_get_serial_sequence('health_licecount', 'id'))`);
    await app.query(`SELECT setval(pg_get_serial_sequence('batch_batch', 'id'), 9999)`);
    // A write with triggers off for ordinary triggers (what a replication tool does), and one to
    // the marker table, which has no primary key and is saved whole.
    await app.query('SET session_replication_role = replica');
    await app.query(`UPDATE batch_batch SET status = 'TERMINATED' WHERE id = (SELECT max(id) FROM batch_batch)`);
    await app.query('RESET session_replication_role');
    await app.query(`UPDATE aquaseed_farm SET preset = 'changed by the app'`);

    expect(await stateOf(clone.url)).not.toEqual(seeded);
    const summary = await clone.reset();
    expect(summary.tables.sort()).toEqual([
      'public.aquaseed_farm',
      'public.batch_batch',
      'public.batch_mortalityevent',
      'public.health_journalentry',
      'public.inventory_feedingevent',
    ]);
    expect(summary.sequences).toBe(3);
    expect(summary.restoredRows).toBeGreaterThan(6000); // the truncated feeding events came back
    expect(await stateOf(clone.url)).toEqual(seeded);

    // Nothing written since: a second reset restores nothing and changes nothing.
    const again = await clone.reset();
    expect(again).toMatchObject({ tables: [], removedRows: 0, restoredRows: 0, sequences: 0 });
    expect(await stateOf(clone.url)).toEqual(seeded);
    // Sequences are back too: the app's next insert gets the id it got first.
    expect(Number((await app.query<{ id: string }>(insertMortality)).rows[0]!.id)).toBe(firstId);
    await clone.reset();
    expect(await stateOf(clone.url)).toEqual(seeded);
  });

  it("waits for an app's open transaction that wrote, then puts its writes back too", async () => {
    const seeded = await stateOf(clone.url);
    await app.query('BEGIN');
    await app.query(`UPDATE batch_batch SET notes = 'in an open transaction'`);
    const pending = clone.reset();
    const resetsWaitingForALock = async (): Promise<number> =>
      (
        await queryOnce<{ n: number }>(
          clone.url,
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND query LIKE '%aquaseed_reset.reset%'`,
          [clone.database],
        )
      ).rows[0]!.n;
    await expect
      .poll(resetsWaitingForALock, { ...STATE_WAIT, message: "the reset to wait for the lock of the app's open transaction" })
      .toBeGreaterThan(0);
    await app.query('COMMIT');
    expect((await pending).tables).toEqual(['public.batch_batch']);
    expect(await stateOf(clone.url)).toEqual(seeded);
  });

  it('fails naming the session when an app keeps a transaction that wrote open, and resets once it ends', async () => {
    await app.query('BEGIN');
    await app.query(insertMortality);
    await expect(clone.reset({ lockTimeoutMs: 50 })).rejects.toMatchObject({ code: 'AQUASEED_DATABASE_BUSY', message: expect.stringContaining(APP) });
    await app.query('COMMIT');
    expect((await clone.reset()).tables).toEqual(['public.batch_mortalityevent']);
  });

  it('tracks again from the same state: trackChanges() twice keeps the first reference', async () => {
    const seeded = await stateOf(clone.url);
    await app.query(`DELETE FROM health_journalentry`);
    await clone.trackChanges();
    await clone.reset();
    expect(await stateOf(clone.url)).toEqual(seeded);
  });

  it('refuses after a schema change, naming the table, and resets again once it is undone', async () => {
    await app.query('CREATE TABLE app_scratch (id int)');
    await expect(clone.reset()).rejects.toMatchObject({ code: 'AQUASEED_RESET_IMPOSSIBLE', message: expect.stringContaining('app_scratch') });
    await app.query('DROP TABLE app_scratch');
    await expect(clone.reset()).resolves.toMatchObject({ tables: [] });
  });
});

describe('reset() refusals', () => {
  it('refuses a database that does not track its changes', async () => {
    const plain = await farm.clone();
    try {
      await expect(plain.reset()).rejects.toMatchObject({ code: 'AQUASEED_NOT_TRACKED' });
    } finally {
      await plain.close();
    }
  });

  it('says the journal was lost when the server crashed (unlogged tables come back empty)', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'aquaseed-reset-crash-'));
    // As root, PostgreSQL runs as `postgres`, which must reach the cluster under it (else aquaseed
    // makes a stand-in root in the temp directory, which outlives this test).
    await chmod(cacheDir, 0o755);
    try {
      const persistent = await seedFarm({ preset: 'tiny', cacheDir, cluster: 'crash' });
      await persistent.trackChanges();
      await persistent.db.updateTable('batch_batch').set({ notes: 'before the crash' }).execute();
      const { rows } = await sql<{ dir: string }>`SELECT current_setting('data_directory') AS dir`.execute(persistent.db);
      // Test clusters commit asynchronously: write everything out first, so the crash loses no
      // committed transaction, only what unlogged tables hold.
      await sql`CHECKPOINT`.execute(persistent.db);
      // SIGQUIT: the postmaster's immediate shutdown, which leaves crash recovery to the next start.
      const pid = Number((await readFile(join(rows[0]!.dir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
      process.kill(pid, 'SIGQUIT');
      await expect.poll(() => isRunning(pid), { ...STATE_WAIT, message: `the postmaster (pid ${pid}) to exit after SIGQUIT` }).toBe(false);
      await persistent.close();
      const restarted = await startEmbedded({ root: join(cacheDir, 'embedded'), persistentName: 'crash' });
      try {
        const reopened = await openFarm(restarted.url(persistent.summary.database));
        await expect(reopened.reset()).rejects.toMatchObject({
          code: 'AQUASEED_RESET_IMPOSSIBLE',
          message: expect.stringContaining('journal was lost'),
        });
        await reopened.close();
      } finally {
        await restarted.stop();
      }
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});

describe('reset() for a role that may not skip triggers', () => {
  let clone: FarmClone;
  const role = 'farm_owner';
  let roleUrl: (database: string) => string;

  /** The role owns the farm's tables and sequences, as an app's migration user would. */
  async function handOver(database: FarmClone): Promise<void> {
    await withClient(database.url, async (admin) => {
      await admin.query(`GRANT CREATE ON DATABASE ${database.database} TO ${role}`);
      await admin.query(`DO $$ DECLARE r record; BEGIN
        FOR r IN SELECT c.oid::regclass AS rel FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'S') AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')) LOOP
          EXECUTE format('ALTER TABLE %s OWNER TO ${role}', r.rel);
        END LOOP; END $$`);
    });
  }

  beforeAll(async () => {
    await withClient(farm.url, async (admin) => {
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
      await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'owner-pw'`);
    });
    clone = await farm.clone();
    await handOver(clone);
    roleUrl = (database) => {
      const url = new URL(clone.url);
      url.username = role;
      url.password = 'owner-pw';
      url.pathname = `/${database}`;
      return url.toString();
    };
  });

  afterAll(async () => {
    await clone?.close();
    await queryOnce(farm.url, `DROP ROLE IF EXISTS ${role}`).catch(() => {});
  });

  it('restores exactly with the deferred foreign keys checked at commit, and refuses once the database has a trigger of its own', async () => {
    const owner = await openFarm(roleUrl(clone.database));
    const app = await connectApp(roleUrl(clone.database), APP);
    try {
      expect(await owner.trackChanges()).toMatchObject({ replica: false });
      const seeded = await stateOf(clone.url);
      await app.query(insertMortality);
      await app.query(`UPDATE batch_batch SET notes = 'by the owner'`);
      await app.query(`DELETE FROM health_journalentry`);
      await owner.reset();
      expect(await stateOf(clone.url)).toEqual(seeded);
    } finally {
      await app.end();
      await owner.close();
    }

    const second = await farm.clone();
    try {
      await handOver(second);
      await withClient(second.url, async (admin) => {
        await admin.query(`CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`);
        await admin.query(`CREATE TRIGGER batch_audit AFTER UPDATE ON batch_batch FOR EACH STATEMENT EXECUTE FUNCTION audit()`);
      });
      const other = await openFarm(roleUrl(second.database));
      await expect(other.trackChanges()).rejects.toMatchObject({
        code: 'AQUASEED_RESET_UNSUPPORTED',
        message: expect.stringContaining('trigger batch_audit on public.batch_batch'),
      });
      await other.close();
    } finally {
      await second.close();
    }
  });
});
