// Every table aquaseed creates, keyed by its AquaMind name.
import type { ColumnType } from 'kysely';
import type { InsertRow, SelectRow, TableSpec } from '../table.js';
import * as infrastructure from './infrastructure.js';
import * as batch from './batch.js';
import * as broodstock from './broodstock.js';
import * as inventory from './inventory.js';
import * as environmental from './environmental.js';
import * as health from './health.js';
import * as scenario from './scenario.js';
import * as finance from './finance.js';
import * as planning from './planning.js';
import * as users from './users.js';
import { historyTables } from './history.js';

/** The tables of AquaMind's models. */
const baseTables = {
  ...infrastructure,
  ...batch,
  ...broodstock,
  ...inventory,
  ...environmental,
  ...health,
  ...scenario,
  ...finance,
  ...planning,
  ...users,
} as const;

/** Every table: the model tables, then their django-simple-history tables (derived, ./history.ts). */
export const tables = {
  ...baseTables,
  ...historyTables(baseTables),
} as const;

export type Tables = typeof tables;
export type TableName = keyof Tables;
export const tableNames = Object.keys(tables) as TableName[];
/** The tables that hold the farm's rows: every table but the schema-only ones (see TableSpec.schemaOnly). */
export const writtenTableNames: readonly TableName[] = tableNames.filter((name) => !(tables[name] as TableSpec).schemaOnly);

/** A row as the generator writes it (see InsertType). */
export type Row<N extends TableName> = InsertRow<Tables[N]>;

type KyselyColumn<S, I> = [S] extends [I] ? S : ColumnType<S, I | S, I | S>;
type KyselyTable<T extends TableSpec> = {
  [K in keyof SelectRow<T>]: KyselyColumn<SelectRow<T>[K], InsertRow<T>[K & keyof InsertRow<T>]>;
};

/** The Kysely database interface: every AquaMind table aquaseed writes, with its exact columns. */
export type Database = { [N in TableName]: KyselyTable<Tables[N]> };
