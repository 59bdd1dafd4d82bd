/**
 * Reads what an existing database holds from its catalog: the columns of a schema's tables (for the
 * compatibility check), and the constraints and indexes of a set of tables as PostgreSQL renders
 * them (for dropping and recreating them identically around a bulk load).
 */
import type pg from 'pg';

export interface CatalogColumn {
  /** `format_type()` spelling, e.g. `character varying(100)`, `timestamp with time zone`. */
  type: string;
  notNull: boolean;
  /** A DEFAULT, an identity or a generated column: the database fills it when an INSERT omits it. */
  filledByDatabase: boolean;
  /** A GENERATED … STORED column: nothing may be written into it. */
  generated: boolean;
}

/** table → column → definition, for every ordinary or partitioned table in `schema`. */
export type CatalogColumns = Map<string, Map<string, CatalogColumn>>;

export async function readColumns(client: pg.ClientBase, schema: string): Promise<CatalogColumns> {
  const { rows } = await client.query<{ table: string; column: string; type: string; not_null: boolean; filled: boolean; generated: boolean }>(
    `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS not_null, (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '') AS filled,
            a.attgenerated <> '' AS generated
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
    [schema],
  );
  const out: CatalogColumns = new Map();
  for (const row of rows) {
    let columns = out.get(row.table);
    if (!columns) out.set(row.table, (columns = new Map()));
    columns.set(row.column, { type: row.type, notNull: row.not_null, filledByDatabase: row.filled, generated: row.generated });
  }
  return out;
}

export interface CatalogObject {
  /** `schema.table` the object belongs to, quoted for SQL. */
  table: string;
  /** The table's own name, unquoted. */
  relation: string;
  /** The object's name, unquoted. */
  name: string;
  /** `pg_get_constraintdef` / `pg_get_indexdef`, rendered with an empty search_path (fully qualified). */
  definition: string;
  /** A foreign key's columns and the table and columns they reference (unquoted names). */
  reference?: ForeignKeyReference;
}

export interface ForeignKeyReference {
  columns: string[];
  schema: string;
  table: string;
  referencedColumns: string[];
}

export interface TableObjects {
  /** Foreign keys declared on the tables and foreign keys of other tables that point at them. */
  foreignKeys: CatalogObject[];
  /** Primary keys, unique and exclusion constraints of the tables (each owns its index). */
  keys: CatalogObject[];
  /** Indexes of the tables that no constraint owns (Django's FK and `_like` indexes, custom ones). */
  indexes: CatalogObject[];
}

/**
 * The keys, foreign keys and indexes a bulk load into `tables` must drop, with the definitions to
 * recreate them by. The caller sets `search_path` empty first so every definition names its
 * schema, which makes recreating it independent of the session's path.
 */
export async function readTableObjects(client: pg.ClientBase, schema: string, tables: readonly string[]): Promise<TableObjects> {
  const constraints = await client.query<{
    table: string;
    relation: string;
    name: string;
    definition: string;
    contype: string;
    columns: string[] | null;
    referenced_schema: string | null;
    referenced: string | null;
    referenced_columns: string[] | null;
  }>(
    `WITH ours AS (
       SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname = ANY($2::text[]))
     SELECT format('%I.%I', n.nspname, r.relname) AS table, r.relname AS relation, k.conname AS name,
            pg_get_constraintdef(k.oid) AS definition, k.contype::text AS contype,
            (SELECT array_agg(a.attname::text ORDER BY u.i) FROM unnest(k.conkey) WITH ORDINALITY u(attnum, i)
               JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum) AS columns,
            fn.nspname AS referenced_schema, f.relname AS referenced,
            (SELECT array_agg(a.attname::text ORDER BY u.i) FROM unnest(k.confkey) WITH ORDINALITY u(attnum, i)
               JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum) AS referenced_columns
       FROM pg_constraint k
       JOIN pg_class r ON r.oid = k.conrelid
       JOIN pg_namespace n ON n.oid = r.relnamespace
       LEFT JOIN pg_class f ON f.oid = k.confrelid
       LEFT JOIN pg_namespace fn ON fn.oid = f.relnamespace
      WHERE (k.contype IN ('p', 'u', 'x') AND k.conrelid IN (SELECT oid FROM ours))
         OR (k.contype = 'f' AND (k.conrelid IN (SELECT oid FROM ours) OR k.confrelid IN (SELECT oid FROM ours)))
      ORDER BY n.nspname, r.relname, k.conname`,
    [schema, tables],
  );
  const indexes = await client.query<{ table: string; relation: string; name: string; definition: string }>(
    `SELECT format('%I.%I', n.nspname, t.relname) AS table, t.relname AS relation, i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = $1 AND t.relname = ANY($2::text[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x'))
      ORDER BY t.relname, i.relname`,
    [schema, tables],
  );
  const pick = (row: CatalogObject): CatalogObject => ({
    table: row.table,
    relation: row.relation,
    name: row.name,
    definition: row.definition,
  });
  return {
    foreignKeys: constraints.rows
      .filter((row) => row.contype === 'f')
      .map((row) => ({
        ...pick(row),
        reference: {
          columns: row.columns ?? [],
          schema: row.referenced_schema ?? '',
          table: row.referenced ?? '',
          referencedColumns: row.referenced_columns ?? [],
        },
      })),
    keys: constraints.rows.filter((row) => row.contype !== 'f').map(pick),
    indexes: indexes.rows.map(pick),
  };
}

export interface SerialColumn {
  table: string;
  column: string;
  /** The identity or serial sequence, as `pg_get_serial_sequence` names it. */
  sequence: string;
}

/** Identity and serial columns of `tables`: the sequences a load must move past its IDs. */
export async function readSerialColumns(client: pg.ClientBase, schema: string, tables: readonly string[]): Promise<SerialColumn[]> {
  const { rows } = await client.query<SerialColumn>(
    `SELECT c.relname AS table, a.attname AS column,
            pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) AS sequence
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND a.attnum > 0 AND NOT a.attisdropped
        AND pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) IS NOT NULL
      ORDER BY c.relname, a.attnum`,
    [schema, tables],
  );
  return rows;
}
