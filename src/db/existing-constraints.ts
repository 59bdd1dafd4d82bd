/**
 * The keys, foreign keys and indexes around a replacement of rows in a database of the app's own
 * (existing-schema mode, and `wipe` of such a farm): which may stay in place, how to drop the
 * others, and how to add foreign keys back, naming the rows that no longer satisfy one.
 */
import type pg from 'pg';
import { AquaseedError } from '../core/errors.js';
import { tables, writtenTableNames, type TableName } from '../schema/tables/index.js';
import type { TableSpec } from '../schema/table.js';
import { ident, qualified } from '../schema/identifiers.js';
import type { CatalogObject, TableObjects } from './introspect.js';

/**
 * Whether the farm's own foreign keys can stay in place, unchecked, while the rows go in: as a
 * superuser (the embedded and container servers, most development databases) with
 * `session_replication_role = replica`, which turns off their triggers, and only when no table
 * the seed writes has a trigger or rule of the database's own, which would be turned off too. The farm's
 * rows satisfy its own foreign keys by construction (a created-schema seed adds the very same
 * keys after its load and so checks them every time; the shared rows are merged first), so
 * re-adding them would re-check what holds: 194 keys, 9-15 s on 40-batch. Foreign keys the farm
 * does not declare, other apps' among them, are dropped and re-added, so they are checked.
 */
export async function canLoadWithTriggersOff(client: pg.ClientBase, target: string): Promise<boolean> {
  const { rows } = await client.query<{ superuser: boolean; triggers: boolean }>(
    `SELECT current_setting('is_superuser') = 'on' AS superuser,
            EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND NOT t.tgisinternal)
         OR EXISTS (SELECT 1 FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND r.rulename <> '_RETURN') AS triggers`,
    [target, writtenTableNames],
  );
  return rows[0]?.superuser === true && rows[0].triggers === false;
}

/**
 * A foreign key the farm itself declares (src/schema/tables: same table, column and referenced
 * column), between tables of `target` the seed writes, that no table it leaves untruncated
 * points through into a replaced one.
 */
export function isFarmForeignKey(fk: CatalogObject, target: string, replaced: readonly TableName[]): boolean {
  const reference = fk.reference;
  if (!reference || reference.schema !== target || reference.columns.length !== 1) return false;
  const table = writtenTableNames.find((name) => name === fk.relation);
  const referenced = writtenTableNames.find((name) => name === reference.table);
  if (!table || !referenced) return false;
  if (!replaced.includes(table) && replaced.includes(referenced)) return false;
  const declared = (tables[table] as TableSpec).references?.[reference.columns[0] ?? ''];
  return declared === `${referenced}.${reference.referencedColumns.join(',')}`;
}

export function dropStatements(target: string, objects: TableObjects): string[] {
  const byTable = (list: readonly CatalogObject[]): Map<string, string[]> => {
    const out = new Map<string, string[]>();
    for (const o of list) {
      let names = out.get(o.table);
      if (!names) out.set(o.table, (names = []));
      names.push(`DROP CONSTRAINT ${ident(o.name)}`);
    }
    return out;
  };
  // Foreign keys first: a key cannot be dropped while a foreign key depends on its index.
  const statements = [...byTable(objects.foreignKeys), ...byTable(objects.keys)].map(([table, drops]) => `ALTER TABLE ${table} ${drops.join(', ')}`);
  if (objects.indexes.length > 0) statements.push(`DROP INDEX ${objects.indexes.map((o) => qualified(target, o.name)).join(', ')}`);
  return statements;
}

/** What a command does to the farm's rows, in the words of its foreign-key refusal. */
export interface RowChange {
  /** What it did: `replacing`. */
  doing: string;
  /** What the user can do instead. */
  fix: string;
}

const SEEDING: RowChange = { doing: 'replacing', fix: 'delete them (or their table\'s data) before seeding, or seed another database' };

/** A foreign key that no longer holds is named with its table, so the user knows whose rows point at the farm's. */
export async function recreateForeignKeys(client: pg.ClientBase, foreignKeys: readonly CatalogObject[], change: RowChange = SEEDING): Promise<void> {
  for (const fk of foreignKeys) {
    try {
      await client.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${ident(fk.name)} ${fk.definition}`);
    } catch (error) {
      if ((error as { code?: string }).code !== '23503') throw error;
      throw new AquaseedError(
        'AQUASEED_LOAD_FAILED',
        `foreign key ${fk.name} of ${fk.table} (${fk.definition}) no longer holds after ${change.doing} the farm's rows: ` +
          `${(error as Error).message}; nothing was changed`,
        `rows in ${fk.table} point at the farm's rows; ${change.fix}`,
        { cause: error },
      );
    }
  }
}
