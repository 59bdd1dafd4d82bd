/**
 * Existing-schema mode: the rows aquaseed shares with the rest of a Django database. Content types
 * belong to Django (its post_migrate signal creates them, auth_permission and django_admin_log
 * point at them) and users belong to whoever runs the app (a developer's own superuser, sessions,
 * tokens, admin log entries point at them). So these tables are merged, never truncated:
 *
 * - django_content_type: the database's own row for each (app_label, model) the farm refers to;
 *   one missing is added as Django would (the database picks its id);
 * - auth_user: the farm's users are matched by username; a username already there is kept as it is
 *   (password included), a missing one is added with a database-chosen id;
 * - users_userprofile: a farm user without a profile gets the farm's profile;
 * - auth_historicaluser / users_historicaluserprofile: the `+` rows of the users and profiles added.
 *
 * The farm's own ids for these rows become the database's through the returned `Remap`, applied to
 * every column that refers to them while the other tables are copied in.
 */
import type pg from 'pg';
import type { RowSink } from '../rows/sink.js';
import { tables, tableNames, type Row, type TableName } from '../schema/tables/index.js';
import type { TableSpec } from '../schema/table.js';
import { ident, qualified } from '../schema/identifiers.js';

/** Tables merged by natural key rather than replaced. */
export const SHARED_TABLES: ReadonlySet<TableName> = new Set<TableName>([
  'django_content_type',
  'auth_user',
  'users_userprofile',
  'auth_historicaluser',
  'users_historicaluserprofile',
]);

export type SharedTarget = 'auth_user' | 'django_content_type';

/** farm id → database id, per shared table other rows refer to. */
export type Remap = Record<SharedTarget, ReadonlyMap<number, number>>;

/** Columns of `table` that hold an auth_user or django_content_type id. */
export function sharedReferenceColumns(table: TableName): Map<string, SharedTarget> {
  const out = new Map<string, SharedTarget>();
  const collect = (spec: TableSpec): void => {
    for (const refs of [spec.references, spec.logicalReferences]) {
      for (const [column, target] of Object.entries(refs ?? {})) {
        if (target === 'auth_user.id') out.set(column, 'auth_user');
        if (target === 'django_content_type.id') out.set(column, 'django_content_type');
      }
    }
  };
  collect(tables[table]);
  const base = baseOfHistory.get(table);
  if (base) collect(tables[base]);
  return out;
}

/** history table → the model table it records (its foreign keys are plain columns there). */
const baseOfHistory = new Map<string, TableName>(
  tableNames.flatMap((name) => {
    const history = (tables[name] as TableSpec).history;
    return history ? [[history, name] as const] : [];
  }),
);

/** `"column"` or a CASE that maps the farm's ids to the database's, where any differ. */
export function remapExpression(column: string, map: ReadonlyMap<number, number> | undefined): string {
  const changed = [...changedIds(map ?? new Map())];
  if (changed.length === 0) return ident(column);
  const whens = changed.map(([from, to]) => `WHEN ${from} THEN ${to}`).join(' ');
  return `CASE ${ident(column)} ${whens} ELSE ${ident(column)} END`;
}

/**
 * A sink that writes the farm's rows in the database's numbering of users and content types, for
 * rows generated straight into the database's tables. The shared tables themselves are merged,
 * never copied, so a row of one arriving here is a bug.
 */
export function remapRows(sink: RowSink, remap: Remap): RowSink {
  const changes = new Map<TableName, [string, ReadonlyMap<number, number>][]>();
  const changesOf = (table: TableName): [string, ReadonlyMap<number, number>][] => {
    let list = changes.get(table);
    if (list) return list;
    if (SHARED_TABLES.has(table)) throw new Error(`${table} rows must be merged, not copied: emit them with the farm's master data`);
    list = [...sharedReferenceColumns(table)]
      .map(([column, target]): [string, ReadonlyMap<number, number>] => [column, changedIds(remap[target])])
      .filter(([, map]) => map.size > 0);
    changes.set(table, list);
    return list;
  };
  return {
    emit<N extends TableName>(table: N, row: Row<N>): void {
      const list = changesOf(table);
      if (list.length === 0) return sink.emit(table, row);
      // A copy: the engine may still hold the row it emitted.
      const out: Record<string, unknown> = { ...row };
      for (const [column, map] of list) {
        const id = out[column];
        if (typeof id === 'number') out[column] = map.get(id) ?? id;
      }
      sink.emit(table, out as Row<N>);
    },
  };
}

function changedIds(map: ReadonlyMap<number, number>): Map<number, number> {
  return new Map([...map].filter(([from, to]) => from !== to));
}

/** Merges the shared tables (in the caller's transaction) and returns the id maps. */
export async function mergeSharedRows(client: pg.ClientBase, staging: string, target: string): Promise<Remap> {
  const contentTypes = await addMissing(client, staging, target, 'django_content_type', ['app_label', 'model']);
  const users = await addMissing(client, staging, target, 'auth_user', ['username']);
  const profiles = await addProfiles(client, staging, target, users.map);
  await addHistory(client, staging, target, 'auth_historicaluser', users.added, { id: users.map }, users.map);
  await addHistory(client, staging, target, 'users_historicaluserprofile', profiles.added, { id: profiles.map, user_id: users.map }, users.map);
  return { auth_user: users.map, django_content_type: contentTypes.map };
}

interface Merged {
  /** farm id → database id, for every farm row. */
  map: Map<number, number>;
  /** Farm ids of the rows this seed added. */
  added: Set<number>;
}

async function addMissing(client: pg.ClientBase, staging: string, target: string, table: TableName, naturalKey: readonly string[]): Promise<Merged> {
  const columns = Object.keys(tables[table].columns).filter((column) => column !== 'id');
  const matches = naturalKey.map((column) => `p.${ident(column)} = s.${ident(column)}`).join(' AND ');
  const before = await client.query<{ id: number }>(
    `SELECT s.id FROM ${qualified(staging, table)} s WHERE NOT EXISTS (SELECT 1 FROM ${qualified(target, table)} p WHERE ${matches})`,
  );
  await client.query(
    `INSERT INTO ${qualified(target, table)} (${columns.map(ident).join(', ')})
     SELECT ${columns.map((c) => `s.${ident(c)}`).join(', ')} FROM ${qualified(staging, table)} s
      WHERE NOT EXISTS (SELECT 1 FROM ${qualified(target, table)} p WHERE ${matches}) ORDER BY s.id`,
  );
  const { rows } = await client.query<{ old: number; new: number }>(
    `SELECT s.id AS old, p.id AS new FROM ${qualified(staging, table)} s JOIN ${qualified(target, table)} p ON ${matches}`,
  );
  return { map: new Map(rows.map((row) => [Number(row.old), Number(row.new)])), added: new Set(before.rows.map((row) => Number(row.id))) };
}

async function addProfiles(client: pg.ClientBase, staging: string, target: string, users: ReadonlyMap<number, number>): Promise<Merged> {
  const table = 'users_userprofile';
  const columns = Object.keys(tables[table].columns).filter((column) => column !== 'id');
  // The farm's profiles with their user ids already in the database's numbering.
  const farm = `(SELECT ${[...columns.filter((c) => c !== 'user_id').map(ident), `${remapExpression('user_id', users)} AS user_id`, 'id'].join(', ')}
                   FROM ${qualified(staging, table)}) s`;
  const missing = `NOT EXISTS (SELECT 1 FROM ${qualified(target, table)} p WHERE p.user_id = s.user_id)`;
  const before = await client.query<{ id: number }>(`SELECT s.id FROM ${farm} WHERE ${missing}`);
  await client.query(
    `INSERT INTO ${qualified(target, table)} (${columns.map(ident).join(', ')})
     SELECT ${columns.map((c) => `s.${ident(c)}`).join(', ')} FROM ${farm} WHERE ${missing} ORDER BY s.id`,
  );
  const { rows } = await client.query<{ old: number; new: number }>(
    `SELECT s.id AS old, p.id AS new FROM ${farm} JOIN ${qualified(target, table)} p ON p.user_id = s.user_id`,
  );
  return { map: new Map(rows.map((row) => [Number(row.old), Number(row.new)])), added: new Set(before.rows.map((row) => Number(row.id))) };
}

async function addHistory(
  client: pg.ClientBase,
  staging: string,
  target: string,
  table: TableName,
  added: ReadonlySet<number>,
  remaps: Readonly<Record<string, ReadonlyMap<number, number>>>,
  users: ReadonlyMap<number, number>,
): Promise<void> {
  if (added.size === 0) return;
  const columns = Object.keys(tables[table].columns).filter((column) => column !== 'history_id');
  const select = columns.map((column) => {
    if (column === 'history_user_id') return remapExpression(column, users);
    return remapExpression(column, remaps[column]);
  });
  await client.query(
    `INSERT INTO ${qualified(target, table)} (${columns.map(ident).join(', ')})
     SELECT ${select.join(', ')} FROM ${qualified(staging, table)} WHERE id = ANY($1::bigint[]) ORDER BY history_id`,
    [[...added]],
  );
}
