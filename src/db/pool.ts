import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema/tables/index.js';

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

/**
 * Type parsers for aquaseed's pools: IDs (int8) and numeric columns come back as JS numbers (every
 * value aquaseed writes fits a double exactly enough), dates as 'YYYY-MM-DD' strings (pg's default
 * turns them into local-midnight Date objects, which shifts days across time zones).
 */
export const farmTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === INT8) return (value: string) => Number(value);
    if (oid === NUMERIC) return (value: string) => Number(value);
    if (oid === DATE) return (value: string) => value;
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** aquaseed's own sessions carry this application_name, so it can close them (and only them). */
export const APPLICATION_NAME = `aquaseed-${process.pid}`;

export function createPool(connectionString: string, max = 4): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, types: farmTypes, application_name: APPLICATION_NAME });
  pool.on('error', () => {}); // idle-client errors (server stopped under us) surface on the next query
  return pool;
}

/** A typed handle on `pool` (by default a new one of aquaseed's pools); destroy() ends the pool. */
export function createKysely(connectionString: string, pool: pg.Pool = createPool(connectionString)): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** One statement on a connection of its own, closed afterwards (maintenance work: CREATE, COMMENT, catalog reads). */
export async function queryOnce<R extends pg.QueryResultRow>(url: string, text: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
  const client = new pg.Client({ connectionString: url, application_name: APPLICATION_NAME });
  client.on('error', () => {});
  await client.connect();
  try {
    return await client.query<R>(text, params);
  } finally {
    await client.end().catch(() => {});
  }
}
