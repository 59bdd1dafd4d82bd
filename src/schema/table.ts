/**
 * Table definitions as data: one object per AquaMind table (see `./tables/*.ts`). The DDL, the
 * post-load constraints and indexes, the COPY encoders and the Kysely `Database` types are all
 * derived from these objects, so a table's shape is written down exactly once.
 */
export type SqlType =
  | 'bigint'
  | 'integer'
  | 'smallint'
  | 'float8'
  | `numeric(${number},${number})`
  | 'boolean'
  | 'date'
  | 'time'
  | 'timestamptz'
  | 'text'
  | `varchar(${number})`
  | 'jsonb';

/** A column's SQL type; a trailing `?` marks it NULL-able. */
export type ColumnSpec = SqlType | `${SqlType}?`;

export interface IndexSpec {
  readonly name: string;
  /** The parenthesised key list as SQL, e.g. `"scenario_id, run_date DESC"`. */
  readonly columns: string;
  readonly unique?: boolean;
  readonly where?: string;
}

export interface TableSpec {
  readonly name: string;
  /**
   * Where a migration renamed the table: AlterModelTable renames the table, not the constraints
   * and indexes named after it, so those made before (`scenario` was created as
   * `scenario_scenario`) keep the old name; those of `laterColumns`, added after, take the new one.
   */
  readonly renamedFrom?: { readonly name: string; readonly laterColumns: readonly string[] };
  /**
   * An AquaMind table aquaseed writes no rows into: created (empty) so that a farm table's foreign
   * key into it exists as in AquaMind; existing-schema mode neither checks nor touches it.
   */
  readonly schemaOnly?: true;
  /** AquaMind's django-simple-history table for this model, where one exists. */
  readonly history?: string;
  readonly columns: Readonly<Record<string, ColumnSpec>>;
  readonly primaryKey: readonly string[];
  /** column → `table.column` it references (a DEFERRABLE INITIALLY DEFERRED foreign key). */
  readonly references?: Readonly<Record<string, string>>;
  /** Django FKs declared with db_constraint=False: documented links, no constraint. */
  readonly logicalReferences?: Readonly<Record<string, string>>;
  readonly uniqueColumns?: readonly string[];
  /** `db_index=True` columns (and FKs without a constraint that keep their index): Django's named index, plus `_like` for text. */
  readonly indexedColumns?: readonly string[];
  /** FileField columns: varchar in the model's table, text in its history table (simple-history's rule). */
  readonly fileColumns?: readonly string[];
  /** PositiveIntegerField columns: `CHECK (col >= 0)`. */
  readonly nonNegative?: readonly string[];
  /** The model's choice values (Django does not enforce them; our checks do). */
  readonly choices?: Readonly<Record<string, readonly string[]>>;
  /**
   * NULL-able columns whose model field `full_clean()` still requires (`null=True` without
   * `blank=True`): the catalog cannot tell, so they are transcribed here from the model.
   */
  readonly modelRequired?: readonly string[];
  readonly uniques?: readonly { readonly name: string; readonly columns: readonly string[] }[];
  readonly checks?: readonly { readonly name: string; readonly sql: string }[];
  readonly indexes?: readonly IndexSpec[];
}

export function defineTable<const T extends TableSpec>(spec: T): T {
  return spec;
}

type BaseType<S> = S extends `${infer B}?` ? B : S;
type OrNull<S, T> = S extends `${string}?` ? T | null : T;
type NumericSql = 'bigint' | 'integer' | 'smallint' | 'float8' | `numeric(${string})`;

/** What a query returns through aquaseed's pools (int8 and numeric are parsed to numbers). */
export type SelectType<B> = B extends NumericSql
  ? number
  : B extends 'boolean'
    ? boolean
    : B extends 'timestamptz'
      ? Date
      : B extends 'jsonb'
        ? unknown
        : string;

/**
 * What the generator hands to the COPY encoder: numbers, booleans, strings, and for timestamptz a
 * string such as `2024-03-01 06:00:00+00` (simulated time, never the wall clock); jsonb takes any
 * JSON-serialisable value.
 */
export type InsertType<B> = B extends NumericSql
  ? number
  : B extends 'boolean'
    ? boolean
    : B extends 'jsonb'
      ? unknown
      : string;

export type SelectRow<T extends TableSpec> = {
  -readonly [K in keyof T['columns']]: OrNull<T['columns'][K], SelectType<BaseType<T['columns'][K]>>>;
};

export type InsertRow<T extends TableSpec> = {
  -readonly [K in keyof T['columns']]: OrNull<T['columns'][K], InsertType<BaseType<T['columns'][K]>>>;
};
