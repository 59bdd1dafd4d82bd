/**
 * aquaseed writes only into a database that is empty or that it seeded before; a database holding
 * anything else is refused and left untouched.
 */
import type pg from 'pg';
import { AquaseedError } from '../core/errors.js';
import { tableNames, writtenTableNames } from '../schema/tables/index.js';
import { MARKER_TABLE, readMarker } from './marker.js';

/** Django's record of applied migrations: the sign of a database `manage.py migrate` built. */
export const DJANGO_MIGRATIONS = 'django_migrations';

export type DatabaseState =
  | { kind: 'empty' }
  | { kind: 'seeded'; key: string | null }
  /** A Django-migrated AquaMind (existing-schema mode); `key` of the farm aquaseed last put in, if any. */
  | { kind: 'aquamind'; key: string | null };

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
    const django = rows.some((row) => row.relname === DJANGO_MIGRATIONS);
    throw new AquaseedError(
      'AQUASEED_FOREIGN_DATABASE',
      `database "${database}" already holds ${count} table(s) aquaseed did not create (${names}${count > 5 ? ', …' : ''}); nothing was changed`,
      django
        ? 'it looks Django-migrated: to fill an AquaMind database you migrated yourself, seed it in existing-schema mode (schema: \'existing\', --existing-schema); otherwise point the database URL (server: { url }, --database-url) at an empty database'
        : 'point the database URL (server: { url }, --database-url) at an empty database (e.g. `createdb aquaseed_test`) or one aquaseed seeded before',
    );
  }
  return { kind: 'seeded', key: (await readMarker(client, schema))?.key ?? null };
}

/**
 * Existing-schema mode: the database must be a Django-migrated AquaMind, recognised by
 * `django_migrations` beside at least one table aquaseed writes. Anything else (an empty database,
 * another Django project, any other application) is refused untouched; whether every table and
 * column aquaseed needs is there is checked next (existing-schema.ts), with one error listing all.
 */
export async function inspectAquaMindDatabase(client: pg.ClientBase, schema: string, database: string): Promise<DatabaseState> {
  const { rows } = await client.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relname = ANY($2::text[])`,
    [schema, [DJANGO_MIGRATIONS, MARKER_TABLE, ...writtenTableNames]],
  );
  const present = new Set(rows.map((row) => row.relname));
  const ours = writtenTableNames.filter((name) => present.has(name)).length;
  if (!present.has(DJANGO_MIGRATIONS) || ours === 0) {
    const found = present.has(DJANGO_MIGRATIONS)
      ? `a django_migrations table but none of the ${writtenTableNames.length} AquaMind tables aquaseed writes`
      : `no django_migrations table (${ours} of the ${writtenTableNames.length} AquaMind tables aquaseed writes)`;
    throw new AquaseedError(
      'AQUASEED_NOT_AQUAMIND',
      `existing-schema mode: database "${database}" (schema ${schema}) has ${found}, so it is not a Django-migrated AquaMind database; nothing was changed`,
      'run `python manage.py migrate` of AquaMind against this database first, or seed without existing-schema mode (no schema: \'existing\' / --existing-schema) to let aquaseed create the tables in an empty database',
    );
  }
  if (!present.has(MARKER_TABLE)) return { kind: 'aquamind', key: null };
  return { kind: 'aquamind', key: (await readMarker(client, schema))?.key ?? null };
}
