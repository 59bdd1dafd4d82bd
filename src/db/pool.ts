import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema/tables/index.js';
import { APPLICATION_NAME } from './client.js';

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

export function createPool(connectionString: string, max = 4): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, types: farmTypes, application_name: APPLICATION_NAME });
  pool.on('error', () => {}); // idle-client errors (server stopped under us) surface on the next query
  return pool;
}

/** A typed handle on `pool` (by default a new one of aquaseed's pools); destroy() ends the pool. */
export function createKysely(connectionString: string, pool: pg.Pool = createPool(connectionString)): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
