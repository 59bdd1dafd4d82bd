/**
 * Migrate mode's schema: a database the app's own migration just made (Django's tables, the app's
 * own, perhaps some AquaMind tables). Per table the farm writes:
 * - one the migration made is the app's: it is checked and filled as existing-schema mode fills a
 *   Django-migrated AquaMind (src/db/existing-schema.ts, existing-replacement.ts);
 * - one it did not make is created here, with its keys, indexes and foreign keys as a
 *   created-schema seed builds them, empty, so that the same fill writes it.
 * Every other table is the app's own (sessions, its audit table), left alone: it is not foreign.
 */
import type pg from 'pg';
import { tableNames, writtenTableNames, type TableName } from '../schema/tables/index.js';
import { createTableSql, foreignKeyStatements, indexStatements, keyStatements } from './ddl.js';
import { withTransaction } from './client.js';
import { checkExistingSchema, type ExistingLayout } from './existing-schema.js';

export interface MigratedLayout extends ExistingLayout {
  /** The tables the farm writes that the migration did not make: created here, in table order. */
  created: readonly TableName[];
}

/** The farm's tables the schema holds (ordinary or partitioned), by name. */
async function presentTables(client: pg.ClientBase, schema: string): Promise<Set<string>> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relname = ANY($2::text[])`,
    [schema, [...tableNames]],
  );
  return new Set(rows.map((row) => row.name));
}

/**
 * Creates the farm's tables the migration did not make (in one transaction: a failure leaves the
 * database as the migration left it), then checks every table as existing-schema mode does; the
 * returned layout has no absent table.
 */
export async function prepareMigratedSchema(client: pg.ClientBase, schema: string, database: string): Promise<MigratedLayout> {
  const present = await presentTables(client, schema);
  // Every table of the schema, not just the written ones: a foreign key may point at any of them.
  const created = tableNames.filter((name) => !present.has(name));
  if (created.length > 0) {
    const missing = new Set<TableName>(created);
    const only = (statements: readonly { table: TableName; sql: string }[]): string[] => statements.filter((s) => missing.has(s.table)).map((s) => s.sql);
    const statements = [
      ...created.map((name) => createTableSql(schema, name)),
      // Keys before the foreign keys that need them; a foreign key from a created table into one
      // the migration made needs that table's key, which Django always makes.
      ...only(keyStatements(schema)),
      ...only(indexStatements(schema)),
      ...only(foreignKeyStatements(schema)),
    ];
    await withTransaction(client, () => client.query(statements.join(';\n')));
  }
  const layout = await checkExistingSchema(client, schema, database);
  return { ...layout, created: created.filter((name) => writtenTableNames.includes(name)) };
}
