/**
 * One seed into one database: lock, check, stage, generate or restore, index, publish. Which of
 * the four ways runs (the target: a schema aquaseed creates or an existing AquaMind schema; the
 * source: generated batches or a logical snapshot) is chosen here; each is a module of
 * src/seed/database. A failure or interrupt at any point drops the staging schema: the target
 * keeps what it had.
 */
import type pg from 'pg';
import { connectClient, endQuietly, withClient } from '../db/client.js';
import { inspectAquaMindDatabase, inspectDatabase, type DatabaseState } from '../db/guard.js';
import { checkExistingSchema, describeAbsentApps } from '../db/existing-schema.js';
import { prepareMigratedSchema } from '../db/existing-migrated.js';
import { readMarker } from '../db/marker.js';
import { dropAbandonedStaging, stagingSchemaName } from '../db/staging.js';
import { ident } from '../schema/identifiers.js';
import type { SeedResult } from './seed-result.js';
import type { WrittenFile } from '../db/copy-files.js';
import { generateIntoExisting } from './database/generate-into-existing.js';
import { publishCreated } from './database/publish-created.js';
import { replaceExisting } from './database/replace-existing.js';
import { stageRows } from './database/stage-rows.js';
import { throwIfAborted, wrapLoadError } from './database/seed-errors.js';
import type { SeedDatabaseOptions, SeedSession } from './database/session.js';

export type { SeedResult, SeedTimings } from './seed-result.js';
export type { SeedDatabaseOptions } from './database/session.js';

/** Advisory-lock id for "seeding this database" (an arbitrary constant: 'aquaseed' in ASCII). */
const SEED_LOCK = 0x617175617365;

/** A seed's result; with `writeEntryTo`, the logical cache entry's files written while the farm loaded. */
export interface SeededDatabase extends SeedResult {
  entryFiles?: WrittenFile[];
}

export async function seedDatabase(options: SeedDatabaseOptions): Promise<SeededDatabase> {
  const schema = options.schema ?? 'public';
  const started = performance.now();
  const client = await connectClient(options.url);
  const staging = stagingSchemaName();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [SEED_LOCK]);
    const previous = options.migrated
      ? await migratedState(client, schema)
      : options.existingSchema
        ? await inspectAquaMindDatabase(client, schema, options.database)
        : await inspectDatabase(client, schema, options.database);
    // Migrate mode: the tables the app's migration did not make are created, then every table is
    // filled as existing-schema mode fills a Django-migrated AquaMind.
    const layout = options.migrated
      ? await prepareMigratedSchema(client, schema, options.database)
      : options.existingSchema
        ? await checkExistingSchema(client, schema, options.database)
        : null;
    const notice = layout && describeAbsentApps(layout, options.database);
    if (notice) options.onNotice?.(notice);
    await dropAbandonedStaging(client);
    options.onProgress?.({ phase: 'prepare' });
    const session: SeedSession = { options, client, staging, schema, connections: options.connections ?? 3, started, previous };
    if (layout && !options.restoreFrom) return await generateIntoExisting(session, layout);
    const { counts, files, built } = await stageRows(session, { unlogged: layout !== null });
    const generateLoad = (performance.now() - started) / 1000;
    if (options.signal?.aborted) await built?.catch(() => {});
    throwIfAborted(options.signal);
    // A restored farm in an existing schema: the staged rows move into the database's own tables.
    if (layout) return await replaceExisting(session, layout, counts, generateLoad);
    const result = await publishCreated(session, counts, generateLoad, built);
    return files ? { ...result, entryFiles: files } : result;
  } catch (error) {
    await dropStaging(client, options.url, staging);
    throw wrapLoadError(error, options.database, options.signal);
  } finally {
    await endQuietly(client);
  }
}

/**
 * What a migrate-mode database held before this seed: the app's tables only (the caller ran its
 * migration on an empty database), or a farm seeded into it before.
 */
async function migratedState(client: pg.ClientBase, schema: string): Promise<DatabaseState> {
  const marker = await readMarker(client, schema);
  return marker ? { kind: 'seeded', key: marker.key } : { kind: 'empty' };
}

/**
 * Drops the staging schema after a failure; on a fresh connection when the seed's own has died
 * (PostgreSQL ended the session), so a failed seed leaves nothing behind.
 */
async function dropStaging(client: pg.Client, url: string, staging: string): Promise<void> {
  const sql = `DROP SCHEMA IF EXISTS ${ident(staging)} CASCADE`;
  const dropped = await client.query(sql).then(() => true, () => false);
  if (dropped) return;
  try {
    await withClient(url, (fresh) => fresh.query(sql));
  } catch {
    // The server itself is gone: the next seed drops the schema (dropAbandonedStaging).
  }
}
