/**
 * aquaseed writes only into a database that is empty or that it seeded before; a database holding
 * anything else is refused and left untouched.
 */
import type pg from 'pg';
import { AquaseedError } from '../errors.js';
import { tableNames } from './tables/index.js';

export const MARKER_TABLE = 'aquaseed_farm';

export type DatabaseState = { kind: 'empty' } | { kind: 'seeded'; key: string | null };

export async function inspectDatabase(client: pg.ClientBase, schema: string, database: string): Promise<DatabaseState> {
  const { rows } = await client.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY c.relname`,
    [schema],
  );
  if (rows.length === 0) return { kind: 'empty' };
  const ours = new Set<string>([...tableNames, MARKER_TABLE]);
  const foreign = rows.map((row) => row.relname).filter((name) => !ours.has(name));
  const marked = rows.some((row) => row.relname === MARKER_TABLE);
  if (foreign.length > 0 || !marked) {
    const names = (foreign.length > 0 ? foreign : rows.map((row) => row.relname)).slice(0, 5).join(', ');
    const count = foreign.length > 0 ? foreign.length : rows.length;
    throw new AquaseedError(
      'AQUASEED_FOREIGN_DATABASE',
      `database "${database}" already holds ${count} table(s) aquaseed did not create (${names}${count > 5 ? ', …' : ''}); nothing was changed`,
      'point --database-url at an empty database (e.g. `createdb aquaseed_test`) or one aquaseed seeded before',
    );
  }
  const marker = await client.query<{ key: string }>(`SELECT key FROM "${schema}"."${MARKER_TABLE}" LIMIT 1`);
  return { kind: 'seeded', key: marker.rows[0]?.key ?? null };
}
