/**
 * Existing-schema mode on a real PostgreSQL: AquaMind's own database as Django migrates it (all of
 * its tables, keys, foreign keys and indexes, rebuilt from the catalog fixture), with Django's
 * bookkeeping, a developer's superuser, another app's table and a custom index, is filled with the
 * farm and keeps everything that is not the farm's rows; the rows meet every constraint of the catalog.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { seedFarm, type Farm } from '../../src/index.js';
import { startEmbedded, type EmbeddedServer } from '../../src/provision/embedded.js';
import { defaultCacheDir } from '../../src/host/cache-dir.js';
import { planSchedule } from '../../src/preset-files/resolve.js';
import { scheduleKey } from '../../src/cache/key.js';
import { seedDatabase, type SeedResult } from '../../src/seed/seed-database.js';
import { tables, tableNames, type TableName } from '../../src/schema/tables/index.js';
import { tableChecksums } from '../../src/db/checksum.js';
import { connectClient, queryOnce, withClient } from '../../src/db/client.js';
import { SHARED_TABLES, sharedReferenceColumns } from '../../src/db/existing-shared-rows.js';
import { ident } from '../../src/schema/identifiers.js';
import { expectMortalityInsertPastLoadedIds } from '../support/sequences.js';
import { containingAll } from '../support/containing-all.js';
import {
  CUSTOM_INDEX,
  DJANGO_CONTENT_TYPES,
  FOREIGN_TABLE,
  createAquaMindDatabase,
  foreignKeyViolations,
  invalidConstraints,
  readAquaMindCatalog,
} from '../../bench/aquamind-database.js';

const schedule = planSchedule('tiny');
/** One of the farm's own foreign keys (readings → sensor), as Django names it. */
const FARM_FOREIGN_KEY = 'environmental_enviro_sensor_id_ae96891a_fk_infrastru';
let server: EmbeddedServer;
let cacheDir: string;
let fresh: SeedResult;
let freshClient: pg.Client;
let client: pg.Client;
let before: Snapshot;
let first: Farm;

/** What existing-schema mode must not change: catalog definitions and other apps' rows. */
interface Snapshot {
  definitions: string[];
  bookkeeping: Record<string, string[]>;
}

async function snapshot(c: pg.Client): Promise<Snapshot> {
  await c.query(`SET search_path TO ''`);
  try {
    const constraints = await c.query<{ d: string }>(
      `SELECT format('%s %s %s', k.conrelid::regclass, k.conname, pg_get_constraintdef(k.oid)) AS d
         FROM pg_constraint k WHERE k.connamespace = 'public'::regnamespace AND k.conrelid <> 0
          AND k.conrelid::regclass::text <> 'public.aquaseed_farm' ORDER BY 1`,
    );
    const indexes = await c.query<{ d: string }>(
      `SELECT pg_get_indexdef(x.indexrelid) AS d FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
        WHERE i.relnamespace = 'public'::regnamespace AND i.relname NOT LIKE 'aquaseed_farm%' ORDER BY 1`,
    );
    const defaults = await c.query<{ d: string }>(
      `SELECT format('%s.%s %s %s', a.attrelid::regclass, a.attname, a.attidentity, pg_get_expr(d.adbin, d.adrelid)) AS d
         FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE r.relnamespace = 'public'::regnamespace AND r.relkind = 'r' AND r.relname <> 'aquaseed_farm' AND a.attnum > 0 AND (a.attidentity <> '' OR d.adbin IS NOT NULL) ORDER BY 1`,
    );
    const bookkeeping: Record<string, string[]> = {};
    for (const table of ['django_migrations', 'auth_permission', 'django_session', FOREIGN_TABLE]) {
      const { rows } = await c.query<{ r: string }>(`SELECT t::text AS r FROM public.${ident(table)} t ORDER BY 1`);
      bookkeeping[table] = rows.map((row) => row.r);
    }
    return { definitions: [...constraints.rows, ...indexes.rows, ...defaults.rows].map((row) => row.d), bookkeeping };
  } finally {
    await c.query('RESET search_path');
  }
}

async function counts(c: pg.Client): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of tableNames) {
    const { rows } = await c.query<{ n: string }>(`SELECT count(*) AS n FROM public.${ident(name)}`);
    out[name] = Number(rows[0]?.n ?? 0);
  }
  return out;
}

/** Per shared-row reference, the natural key it points at: (table.column → sorted usernames / content types). */
async function sharedReferences(c: pg.Client): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of tableNames) {
    for (const [column, target] of sharedReferenceColumns(table)) {
      const label = target === 'auth_user' ? 'u.username' : `u.app_label || '.' || u.model`;
      const { rows } = await c.query<{ k: string | null; n: string }>(
        `SELECT ${label} AS k, count(*) AS n FROM public.${ident(table)} t LEFT JOIN public.${ident(target)} u ON u.id = t.${ident(column)}
          WHERE t.${ident(column)} IS NOT NULL GROUP BY 1 ORDER BY 1`,
      );
      if (rows.length > 0) out[`${table}.${column}`] = rows.map((row) => `${row.k}×${row.n}`);
    }
  }
  return out;
}

async function createDatabase(name: string): Promise<string> {
  await queryOnce(server.url('postgres'), `CREATE DATABASE ${ident(name)}`);
  return server.url(name);
}

beforeAll(async () => {
  server = await startEmbedded({ root: join(defaultCacheDir(), 'embedded') });
  cacheDir = await mkdtemp(join(tmpdir(), 'aquaseed-existing-test-'));
  const freshUrl = await createDatabase('fresh');
  fresh = await seedDatabase({ url: freshUrl, database: 'fresh', schedule, key: scheduleKey(schedule) });
  freshClient = await connectClient(freshUrl);
  const url = await createDatabase('aquamind');
  client = await connectClient(url);
  await createAquaMind(client);
  before = await snapshot(client);
  first = await seedFarm({ schedule, databaseUrl: url, schema: 'existing', cacheDir });
});

afterAll(async () => {
  await first?.close();
  await client?.end();
  await freshClient?.end();
  await server?.stop();
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
});

describe('existing-schema mode', () => {
  it('fills the farm tables with the rows of a normal seed of the same schedule', async () => {
    const actual = await counts(client);
    const expected = { ...fresh.rowCounts } as Record<string, number>;
    for (const name of tableNames) expected[name] ??= 0;
    // The developer's superuser stays beside the farm's users; content types are the database's own.
    expected.auth_user = (expected.auth_user ?? 0) + 1;
    expected.django_content_type = DJANGO_CONTENT_TYPES.length + 1;
    expect(actual).toEqual(expected);
    expect(first.summary.rowCounts).toEqual(fresh.rowCounts);
    expect(first.summary.totalRows).toBeGreaterThan(100_000);
  });

  it('writes byte-identical rows to every replaced table that refers to no user or content type', async () => {
    const [ours, reference] = [await tableChecksums(client), await tableChecksums(freshClient)];
    const plain = tableNames.filter((name) => !SHARED_TABLES.has(name) && sharedReferenceColumns(name).size === 0);
    // History tables all carry history_user_id, so the plain ones are the model tables without user columns.
    expect(plain.length).toBeGreaterThan(40);
    for (const name of plain) expect({ name, ...ours[name] }).toEqual({ name, ...reference[name] });
  });

  it('points user and content-type references at the database’s own rows by username and (app_label, model)', async () => {
    const expected = await sharedReferences(freshClient);
    expect(Object.keys(expected).length).toBeGreaterThan(5);
    expect(await sharedReferences(client)).toEqual(expected);
    const { rows } = await client.query<{ id: number; username: string }>('SELECT id, username FROM auth_user ORDER BY id');
    expect(rows[0]).toEqual({ id: 1, username: 'devadmin' });
    expect(rows.map((row) => row.username)).toEqual(['devadmin', 'system_admin', 'admin', 'operator_01', 'vet_01', 'manager_01']);
    // The content type the database already had kept its id; the missing one was added after Django's.
    const types = await client.query<{ id: number; label: string }>(`SELECT id, app_label || '.' || model AS label FROM django_content_type ORDER BY id`);
    expect(types.rows.slice(-2)).toEqual([
      { id: DJANGO_CONTENT_TYPES.length, label: 'batch.batchtransferworkflow' },
      { id: DJANGO_CONTENT_TYPES.length + 1, label: 'harvest.harvestevent' },
    ]);
  });

  it('writes the same rows with two worker threads, whose rows travel to the transaction’s one connection', async () => {
    const url = await createDatabase('aquamind_workers');
    const c = await connectClient(url);
    try {
      await createAquaMind(c);
      const parallel = await seedDatabase({ url, database: 'aquamind_workers', schedule, key: scheduleKey(schedule), workers: 2, existingSchema: true });
      expect(parallel.rowCounts).toEqual(fresh.rowCounts);
      expect(await tableChecksums(c)).toEqual(await tableChecksums(client));
      expect((await snapshot(c)).definitions).toEqual(before.definitions);
    } finally {
      await c.end();
    }
  });

  it.each([
    ['the transaction’s session', 'COPY "public".%FROM STDIN%', 'aquamind_killed'],
    ['a worker’s staging session', 'COPY "aquaseed_staging_%FROM STDIN%', 'aquamind_killed_staging'],
  ])('changes nothing when PostgreSQL ends %s while worker rows stream in', async (_, pattern, database) => {
    const url = await createDatabase(database);
    const c = await connectClient(url);
    try {
      await createAquaMind(c);
      const countsBefore = await counts(c);
      let settled = false;
      const seeding = seedDatabase({ url, database, schedule, key: scheduleKey(schedule), workers: 2, existingSchema: true }).finally(() => (settled = true));
      // Awaited below; until then a rejection is expected, not unhandled.
      seeding.catch(() => {});
      // Once both COPYs run (or the seed ends first: 0); a seed of tiny gets there in seconds.
      const terminated = await vi.waitFor(
        async () => {
          if (settled) return 0;
          const { rows } = await c.query<{ n: number }>(
            `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
              WHERE datname = $1 AND query ILIKE $2 AND state = 'active'
                AND EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'COPY "public".%')`,
            [database, pattern],
          );
          if (rows[0]!.n === 0) throw new Error(`waited for ${pattern} to run in ${database} beside the transaction's COPY, to end it`);
          return rows[0]!.n;
        },
        { timeout: 100_000, interval: 10 },
      );
      // Generation had begun (the transaction's connection was COPYing) when the session was ended.
      expect(terminated).toBeGreaterThan(0);
      await expect(seeding).rejects.toMatchObject({ code: 'AQUASEED_LOAD_FAILED', message: expect.stringMatching(/COPY into \w+ failed: .*terminat/) });
      expect(await counts(c)).toEqual(countsBefore);
      expect((await snapshot(c)).definitions).toEqual(before.definitions);
      const staging = await c.query(`SELECT 1 FROM pg_namespace WHERE nspname LIKE 'aquaseed_staging_%'`);
      expect(staging.rowCount).toBe(0);
    } finally {
      await c.end();
    }
  });

  it('keeps the farm’s own foreign keys in place as a superuser, and re-adds (so re-checks) the other app’s', async () => {
    const oids = async (): Promise<Record<string, string>> => {
      const { rows } = await client.query<{ conname: string; oid: string }>(
        `SELECT conname, oid::text FROM pg_constraint WHERE conname = ANY($1::text[])`,
        [[FARM_FOREIGN_KEY, 'crm_customernote_geography_id_fk_infrastructure_geography']],
      );
      return Object.fromEntries(rows.map((row) => [row.conname, row.oid]));
    };
    const before = await oids();
    expect(Object.keys(before)).toHaveLength(2);
    await seedDatabase({ url: server.url('aquamind'), database: 'aquamind', schedule, key: scheduleKey(schedule), existingSchema: true });
    const after = await oids();
    expect(after[FARM_FOREIGN_KEY]).toBe(before[FARM_FOREIGN_KEY]);
    expect(after.crm_customernote_geography_id_fk_infrastructure_geography).not.toBe(before.crm_customernote_geography_id_fk_infrastructure_geography);
  });

  it('seeds the same rows as a database owner who is not a superuser (every foreign key dropped and re-added)', async () => {
    await client.query(`CREATE ROLE django LOGIN PASSWORD 'django' NOSUPERUSER`);
    await queryOnce(server.url('postgres'), 'CREATE DATABASE aquamind_owned OWNER django');
    const url = new URL(server.url('aquamind_owned'));
    url.username = 'django';
    url.password = 'django';
    const c = await connectClient(url.href);
    try {
      expect((await c.query(`SELECT current_setting('is_superuser') AS s`)).rows[0].s).toBe('off');
      await createAquaMind(c);
      const farmKey = async (): Promise<string> =>
        (await c.query<{ oid: string }>(`SELECT oid::text FROM pg_constraint WHERE conname = $1`, [FARM_FOREIGN_KEY])).rows[0]!.oid;
      const keyBefore = await farmKey();
      await seedDatabase({ url: url.href, database: 'aquamind_owned', schedule, key: scheduleKey(schedule), existingSchema: true });
      expect(await farmKey()).not.toBe(keyBefore);
      expect(await tableChecksums(c)).toEqual(await tableChecksums(client));
      expect((await snapshot(c)).definitions).toEqual(before.definitions);
    } finally {
      await c.end();
    }
  });

  it('keeps a trigger of the database’s own firing: with one on a farm table every foreign key is dropped and re-added instead', async () => {
    await client.query(`CREATE TABLE audit_batch (batch_number text)`);
    await client.query(`CREATE FUNCTION audit_batch_insert() RETURNS trigger LANGUAGE plpgsql AS $$
                          BEGIN INSERT INTO audit_batch VALUES (NEW.batch_number); RETURN NEW; END $$`);
    await client.query(`CREATE TRIGGER batch_batch_audit AFTER INSERT ON batch_batch FOR EACH ROW EXECUTE FUNCTION audit_batch_insert()`);
    const farmKey = async (): Promise<string> =>
      (await client.query<{ oid: string }>(`SELECT oid::text FROM pg_constraint WHERE conname = $1`, [FARM_FOREIGN_KEY])).rows[0]!.oid;
    try {
      const keyBefore = await farmKey();
      const checksumsBefore = await tableChecksums(client);
      await seedDatabase({ url: server.url('aquamind'), database: 'aquamind', schedule, key: scheduleKey(schedule), existingSchema: true });
      expect(await farmKey()).not.toBe(keyBefore);
      const audited = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_batch`);
      expect(audited.rows[0]!.n).toBe(schedule.batches.length);
      expect(await tableChecksums(client)).toEqual(checksumsBefore);
    } finally {
      await client.query(`DROP TRIGGER batch_batch_audit ON batch_batch; DROP FUNCTION audit_batch_insert(); DROP TABLE audit_batch`);
    }
  });

  it('leaves Django’s bookkeeping and the other app’s table untouched, and restores every constraint, index and default identically', async () => {
    const after = await snapshot(client);
    expect(after.bookkeeping).toEqual(before.bookkeeping);
    expect(after.bookkeeping[FOREIGN_TABLE]).toHaveLength(2);
    expect(after.definitions).toEqual(before.definitions);
    expect(after.definitions.some((d) => d.includes(CUSTOM_INDEX))).toBe(true);
    // Every foreign key of AquaMind's catalog, plus the other app's one into the farm.
    const catalogForeignKeys = readAquaMindCatalog().constraints.filter((c) => c.definition.startsWith('FOREIGN KEY')).length;
    expect(catalogForeignKeys).toBe(316);
    expect(after.definitions.filter((d) => d.includes(' FOREIGN KEY ')).length).toBe(catalogForeignKeys + 1);
  });

  it('keeps every foreign key, CHECK, UNIQUE and NOT NULL of AquaMind’s catalog holding for the rows it wrote', async () => {
    // The farm's own foreign keys stay in place with their triggers off during the load: count the
    // rows that break any key instead of trusting them. The rest PostgreSQL enforces while valid.
    expect(await foreignKeyViolations(client, tableNames)).toEqual([]);
    expect(await invalidConstraints(client)).toEqual([]);
  });

  it('moves identity and serial sequences past the loaded ids, so the app can insert', async () => {
    await expectMortalityInsertPastLoadedIds(client);
    // This history table's ids are serial (nextval defaults), not identities: the other sequence path.
    const history = await client.query<{ max: number }>('SELECT max(history_id) AS max FROM batch_historicalmortalityevent');
    const row = await client.query<{ history_id: number }>(
      `INSERT INTO batch_historicalmortalityevent (${columnsWithout('batch_historicalmortalityevent', 'history_id')})
       SELECT ${columnsWithout('batch_historicalmortalityevent', 'history_id')} FROM batch_historicalmortalityevent LIMIT 1 RETURNING history_id`,
    );
    expect(row.rows[0]!.history_id).toBeGreaterThan(history.rows[0]!.max);
    await client.query('DELETE FROM batch_historicalmortalityevent WHERE history_id = $1', [row.rows[0]!.history_id]);
  });

  it('replaces rather than duplicates on a second seed, restored from the logical cache through the same path', async () => {
    const countsBefore = await counts(client);
    const checksumsBefore = await tableChecksums(client);
    const second = await seedFarm({ schedule, databaseUrl: server.url('aquamind'), schema: 'existing', cacheDir });
    try {
      expect(second.summary.restored).toBe(true);
      expect(await counts(client)).toEqual(countsBefore);
      expect(await tableChecksums(client)).toEqual(checksumsBefore);
      expect((await snapshot(client)).definitions).toEqual(before.definitions);
    } finally {
      await second.close();
    }
  });

  it('refuses a database without the AquaMind schema, and a normal seed refuses the AquaMind one', async () => {
    await expect(seedFarm({ schedule, databaseUrl: server.url('fresh'), schema: 'existing', cache: false })).rejects.toMatchObject({
      code: 'AQUASEED_NOT_AQUAMIND',
      message: expect.stringContaining('no django_migrations table'),
    });
    await expect(seedFarm({ schedule, databaseUrl: server.url('aquamind'), cache: false })).rejects.toMatchObject({
      code: 'AQUASEED_FOREIGN_DATABASE',
      fix: expect.stringContaining('--existing-schema'),
    });
    // Another Django project: django_migrations, but none of AquaMind's tables.
    const otherUrl = await createDatabase('other_django');
    const other = await connectClient(otherUrl);
    await other.query('CREATE TABLE django_migrations (id bigint PRIMARY KEY, app text, name text, applied timestamptz)');
    await expect(seedFarm({ schedule, databaseUrl: otherUrl, schema: 'existing', cache: false })).rejects.toMatchObject({
      code: 'AQUASEED_NOT_AQUAMIND',
      message: expect.stringContaining('a django_migrations table but none of the'),
    });
    const { rows } = await other.query<{ n: string }>(`SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'`);
    expect(Number(rows[0]!.n)).toBe(1);
    await other.end();
  });

  it('shares one cache entry between the modes: a created-schema seed restores what an existing-schema seed stored', async () => {
    const url = await createDatabase('from_cache');
    const restored = await seedFarm({ schedule, databaseUrl: url, cacheDir });
    try {
      expect(restored.summary.restored).toBe(true);
      expect(await withClient(url, (c) => tableChecksums(c))).toEqual(await tableChecksums(freshClient));
    } finally {
      await restored.close();
    }
  });

  it('leaves the database as it was when the new rows violate one of its own indexes', async () => {
    // A developer's unique index the farm's rows violate (several batches share a status): the
    // failure comes after the truncate, while the rows are copied in, inside the one transaction.
    await client.query('CREATE UNIQUE INDEX batch_batch_one_per_status ON batch_batch (status)').catch(async () => {
      await client.query(`UPDATE batch_batch SET status = status || id`);
      await client.query('CREATE UNIQUE INDEX batch_batch_one_per_status ON batch_batch (status)');
    });
    const countsBefore = await counts(client);
    const checksumsBefore = await tableChecksums(client);
    const definitionsBefore = (await snapshot(client)).definitions;
    await expect(seedFarm({ schedule, databaseUrl: server.url('aquamind'), schema: 'existing', cache: false })).rejects.toMatchObject({
      name: 'AquaseedError',
      message: expect.stringContaining('batch_batch_one_per_status'),
    });
    expect(await counts(client)).toEqual(countsBefore);
    expect(await tableChecksums(client)).toEqual(checksumsBefore);
    expect((await snapshot(client)).definitions).toEqual(definitionsBefore);
    const staging = await client.query(`SELECT 1 FROM pg_namespace WHERE nspname LIKE 'aquaseed_staging_%'`);
    expect(staging.rowCount).toBe(0);
    await client.query('DROP INDEX batch_batch_one_per_status');
  });

  it('names the other table whose rows would lose their farm row, and changes nothing', async () => {
    // A note pointing at a geography the farm does not have: its foreign key cannot be recreated.
    await client.query(
      `INSERT INTO infrastructure_geography (id, name, description, created_at, updated_at) VALUES (999, 'Iceland', '', now(), now())`,
    );
    await client.query(`INSERT INTO ${FOREIGN_TABLE} (note, geography_id) VALUES ('Icelandic buyer', 999)`);
    const checksumsBefore = await tableChecksums(client);
    await expect(seedFarm({ schedule, databaseUrl: server.url('aquamind'), schema: 'existing', cache: false })).rejects.toMatchObject({
      name: 'AquaseedError',
      message: expect.stringContaining(`foreign key crm_customernote_geography_id_fk_infrastructure_geography of public.${FOREIGN_TABLE}`),
      fix: expect.stringContaining(FOREIGN_TABLE),
    });
    expect(await tableChecksums(client)).toEqual(checksumsBefore);
    await client.query(`DELETE FROM ${FOREIGN_TABLE} WHERE geography_id = 999`);
    await client.query('DELETE FROM infrastructure_geography WHERE id = 999');
  });

  it('reports every missing or incompatible column in one error and writes nothing', async () => {
    const countsBefore = await counts(client);
    await client.query('ALTER TABLE batch_batch DROP COLUMN notes');
    await client.query('ALTER TABLE infrastructure_container ALTER COLUMN name TYPE varchar(10) USING left(name, 10)');
    await client.query(`ALTER TABLE ${FOREIGN_TABLE} RENAME TO batch_unknownthing`);
    await client.query('ALTER TABLE health_licecount ADD COLUMN must_have integer NOT NULL DEFAULT 0');
    await client.query('ALTER TABLE health_licecount ALTER COLUMN must_have DROP DEFAULT');
    await expect(seedFarm({ schedule, databaseUrl: server.url('aquamind'), schema: 'existing', cache: false })).rejects.toMatchObject({
      code: 'AQUASEED_SCHEMA_MISMATCH',
      message: containingAll(
        '3 column(s)',
        'batch_batch.notes: expected text, found no such column',
        'infrastructure_container.name: expected varchar(100), found character varying(10) NOT NULL',
        'health_licecount.must_have: expected NULL-able or a DEFAULT',
      ),
    });
    expect(await counts(client)).toEqual(countsBefore);
    const staging = await client.query(`SELECT 1 FROM pg_namespace WHERE nspname LIKE 'aquaseed_staging_%'`);
    expect(staging.rowCount).toBe(0);
  });
});

/**
 * AquaMind's database as migrated, where one history table's ids are serial (nextval) as in a
 * database first migrated by Django 3.2: the other sequence path.
 */
async function createAquaMind(c: pg.Client): Promise<void> {
  await createAquaMindDatabase(c);
  await c.query(serialColumn('batch_historicalmortalityevent', 'history_id'));
}

/** Turns an identity column into a Django-3.2-style serial (owned sequence + nextval default). */
function serialColumn(table: string, column: string): string {
  const sequence = `public.${ident(`${table}_${column}_seq`)}`;
  return [
    `ALTER TABLE public.${ident(table)} ALTER COLUMN ${ident(column)} DROP IDENTITY`,
    `CREATE SEQUENCE ${sequence} AS integer OWNED BY public.${ident(table)}.${ident(column)}`,
    `ALTER TABLE public.${ident(table)} ALTER COLUMN ${ident(column)} SET DEFAULT nextval('${sequence}'::regclass)`,
  ].join(';\n');
}

function columnsWithout(table: TableName, column: string): string {
  return Object.keys(tables[table].columns)
    .filter((c) => c !== column)
    .map(ident)
    .join(', ');
}
