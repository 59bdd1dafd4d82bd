/**
 * django-simple-history tables (`*_historical*`), derived from the base definitions rather than
 * transcribed: every table whose definition names a `history` table gets one, shaped the way
 * simple-history builds its historical model from the base model (schema notes §0):
 *
 * - every base column, same type and nullability, except that foreign keys (constrained or
 *   logical) become plain NULL-able `*_id` columns without a constraint, each with Django's FK
 *   index name, and FileFields become text;
 * - the base `id` (or custom primary key) is a plain indexed column; unique columns lose their
 *   uniqueness and get a `db_index`, `db_index` columns keep theirs (plus the `_like` pattern
 *   index for varchar/text);
 * - field CHECKs (PositiveIntegerField and friends) are kept, named by PostgreSQL after the
 *   historical table; model-level constraints (Meta.constraints, unique_together) and Meta
 *   indexes are not copied;
 * - `history_id integer` serial primary key, `history_date timestamptz` (indexed),
 *   `history_change_reason varchar(100) NULL`, `history_type varchar(1)` (`+`, `~`, `-`) and
 *   `history_user_id integer NULL`, a real foreign key to auth_user.
 */
import { djangoIndexName } from '../identifiers.js';
import type { ColumnSpec, IndexSpec, TableSpec } from '../table.js';

/** The columns simple-history adds to every historical table. */
const HISTORY_COLUMNS = {
  history_id: 'integer',
  history_date: 'timestamptz',
  history_change_reason: 'varchar(100)?',
  history_type: 'varchar(1)',
  history_user_id: 'integer?',
} as const;

type Nullable<S> = S extends `${string}?` ? S : `${S & string}?`;
type KeysOf<R> = R extends Readonly<Record<string, string>> ? keyof R : never;
type ForeignKeyColumns<T extends TableSpec> = KeysOf<T['references']> | KeysOf<T['logicalReferences']>;
type FileColumns<T extends TableSpec> = T['fileColumns'] extends readonly (infer C)[] ? C : never;
type AsText<S> = S extends `${string}?` ? 'text?' : 'text';

/** The historical table of base table T, as a type (so Kysely knows every history table). */
export type HistorySpec<T extends TableSpec, H extends string> = {
  readonly name: H;
  readonly columns: {
    readonly [K in keyof T['columns']]: K extends FileColumns<T>
      ? AsText<T['columns'][K]>
      : K extends ForeignKeyColumns<T>
        ? Nullable<T['columns'][K]>
        : T['columns'][K];
  } & typeof HISTORY_COLUMNS;
  readonly primaryKey: readonly ['history_id'];
  readonly references: { readonly history_user_id: 'auth_user.id' };
  readonly choices: Readonly<Record<string, readonly string[]>>;
  readonly nonNegative: readonly string[];
  readonly checks: readonly { readonly name: string; readonly sql: string }[];
  readonly indexes: readonly IndexSpec[];
};

/** Every history table of a set of base tables, keyed by its name. */
export type HistoryTables<B extends Record<string, TableSpec>> = {
  [N in keyof B as B[N] extends { readonly history: infer H extends string } ? H : never]: B[N] extends {
    readonly history: infer H extends string;
  }
    ? HistorySpec<B[N], H>
    : never;
};

export function historyTableOf<T extends TableSpec, H extends string>(base: T, name: H): HistorySpec<T, H> {
  const foreignKeys = new Set([...Object.keys(base.references ?? {}), ...Object.keys(base.logicalReferences ?? {})]);
  const files = new Set(base.fileColumns ?? []);
  const columns: Record<string, ColumnSpec> = {};
  for (const [column, type] of Object.entries(base.columns)) {
    const nullable = type.endsWith('?');
    if (files.has(column)) columns[column] = nullable ? 'text?' : 'text';
    else columns[column] = foreignKeys.has(column) && !nullable ? (`${type}?` as ColumnSpec) : type;
  }
  Object.assign(columns, HISTORY_COLUMNS);

  const indexes: IndexSpec[] = [];
  const index = (column: string, suffix = '', ops = '') =>
    indexes.push({ name: djangoIndexName(name, [column], suffix), columns: ops ? `"${column}" ${ops}` : `"${column}"` });
  // The base primary key (a single auto column in every historised model) keeps a db_index, and
  // unique columns become db_index ones.
  const indexed = new Set([...base.primaryKey, ...(base.uniqueColumns ?? []), ...(base.indexedColumns ?? []), ...foreignKeys]);
  for (const column of indexed) {
    index(column);
    if (base.primaryKey.includes(column)) continue;
    const type = columns[column] ?? '';
    if (type.startsWith('varchar')) index(column, '_like', 'varchar_pattern_ops');
    else if (type.startsWith('text')) index(column, '_like', 'text_pattern_ops');
  }
  index('history_date');

  return {
    name,
    columns: columns as HistorySpec<T, H>['columns'],
    primaryKey: ['history_id'],
    references: { history_user_id: 'auth_user.id' },
    choices: { ...(base.choices ?? {}), history_type: ['+', '~', '-'] },
    // Field CHECKs follow the field; Meta constraints (`checks`, named by the model) stay on the base table.
    nonNegative: [...(base.nonNegative ?? [])],
    checks: [],
    indexes,
  };
}

/** The history table of every base table that names one. */
export function historyTables<B extends Record<string, TableSpec>>(base: B): HistoryTables<B> {
  const out: Record<string, TableSpec> = {};
  for (const spec of Object.values(base)) {
    if (spec.history) out[spec.history] = historyTableOf(spec, spec.history);
  }
  return out as HistoryTables<B>;
}
