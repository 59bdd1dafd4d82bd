/**
 * The `+` rows of django-simple-history: AquaMind's ORM wrote one historical row whenever a model
 * was saved one object at a time (`create()`, `save()`), never for `bulk_create`. The generator
 * created most rows one by one, so most history tables of the tables it wrote hold one `+` row per
 * row (schema notes §1). We write that creation row, not the `~` rows of later saves (AquaMind
 * re-saved assignments twice a day and stock rows on every FIFO draw: millions of rows that
 * repeat the state the base row and the event tables already give).
 *
 * `HistorySink` wraps a sink: every row of a table in AUTO_HISTORY is followed by its history row,
 * a copy of the row as created, stamped with its own creation time, `history_type` '+', no user
 * (scripts ran outside a request, so simple-history recorded none) and no change reason.
 *
 * Rows that the engine emits once with their *final* state (the batch, assignments, stock lots)
 * are not in AUTO_HISTORY: their modules emit the creation state themselves with `emitCreated`.
 */
import { tables, type Row, type TableName } from '../schema/tables/index.js';
import type { RowSink } from './sink.js';

/** Base table → its history table, as the table definitions name them. */
const HISTORY_NAMES: Readonly<Partial<Record<TableName, TableName>>> = Object.fromEntries(
  Object.values(tables).flatMap((spec) => ('history' in spec && typeof spec.history === 'string' ? [[spec.name, spec.history]] : [])),
);

/** A base table whose rows get a `+` history row, and the column that holds their creation time. */
interface AutoHistory {
  readonly history: TableName;
  readonly dateColumn: string;
  readonly build: HistoryRowBuilder;
}

/**
 * Tables the generator filled with one-by-one ORM creates and whose history rows we write on emit.
 * (Farm master data and the engine's event tables; scenario, reading, daily-state and projection
 * tables have no history; fish observations and scores were bulk-created.)
 */
const AUTO_TABLES: readonly (readonly [TableName, string?])[] = [
  // Farm master data: the bootstrap scripts' get_or_create / create.
  ['infrastructure_geography'],
  ['infrastructure_areagroup'],
  ['infrastructure_area'],
  ['infrastructure_freshwaterstation'],
  ['infrastructure_hall'],
  ['infrastructure_containertype'],
  ['infrastructure_container'],
  ['infrastructure_sensor'],
  ['infrastructure_feedcontainer'],
  ['auth_user', 'date_joined'],
  ['users_userprofile'],
  ['batch_lifecyclestage'],
  ['broodstock_eggsupplier'],
  ['health_healthparameter'],
  ['health_parameterscoredefinition'],
  ['finance_intercompanypolicy'],
  ['inventory_feedpurchase'],
  // The engine's rows, created one by one.
  ['batch_creationworkflow'],
  ['batch_creationaction'],
  ['batch_batchtransferworkflow'],
  ['batch_transferaction'],
  ['batch_mortalityevent'],
  ['batch_growthsample'],
  ['batch_individualgrowthobservation'],
  ['inventory_feedingevent'],
  ['inventory_containerfeedingsummary'],
  ['inventory_batchfeedingsummary'],
  ['health_journalentry'],
  ['health_healthsamplingevent'],
  ['health_licecount', 'count_date'],
  ['health_treatment', 'treatment_date'],
  ['harvest_harvestevent'],
  ['harvest_harvestlot'],
  ['finance_factharvest'],
  ['finance_intercompanytransaction'],
  ['planning_plannedactivity'],
  ['finance_core_costcenter'],
  ['finance_core_costcenterbatchlink', 'linked_at'],
];

/** Tables whose history rows their modules emit with the creation state (`emitCreated`). */
export const CREATION_STATE_TABLES: readonly TableName[] = [
  'batch_batch',
  'batch_batchcontainerassignment',
  'inventory_feedcontainerstock',
];


/** Every base table that receives `+` history rows from aquaseed. */
export const HISTORISED_TABLES: readonly TableName[] = [...AUTO_TABLES.map(([table]) => table), ...CREATION_STATE_TABLES];

/** The history table of a base table, as recorded in its definition. */
export function historyNameOf(table: TableName): TableName {
  const name = HISTORY_NAMES[table];
  if (!name) throw new Error(`${table} has no history table`);
  return name;
}

/** Hands out history_id values: the batch's ID block, or 1..n for the farm. */
export type HistoryIds = (historyTable: TableName) => number;

type HistoryRowBuilder = (row: object, historyId: number, at: string) => Record<string, unknown>;

const BUILDERS = new Map<TableName, HistoryRowBuilder>();

/**
 * The history row of a row of `table` as it was created at `at`. Built by a function compiled per
 * table that copies the base columns into one object literal: a spread (`{ ...row, … }`) cost
 * more than generating the base row itself.
 */
export function historyRow(table: TableName, row: object, historyId: number, at: string): Record<string, unknown> {
  return builderOf(table)(row, historyId, at);
}

function builderOf(table: TableName): HistoryRowBuilder {
  let build = BUILDERS.get(table);
  if (!build) {
    const fields = Object.keys(tables[table].columns).map((column) => `${JSON.stringify(column)}: r[${JSON.stringify(column)}]`);
    // Compiled once per table from our own definitions: a fixed-shape literal, no per-row key walk.
    build = new Function(
      `return function historyRow(r, id, at) { return { ${fields.join(', ')}, history_id: id, history_date: at, ` +
        `history_change_reason: null, history_type: '+', history_user_id: null }; };`,
    )() as HistoryRowBuilder;
    BUILDERS.set(table, build);
  }
  return build;
}

/** Emits the `+` history row of a row whose creation state differs from the row emitted later. */
export function emitCreated<N extends TableName>(sink: RowSink, ids: HistoryIds, table: N, created: Row<N>, at: string): void {
  const history = historyNameOf(table);
  sink.emit(history, historyRow(table, created, ids(history), at) as never);
}

function autoHistory(table: TableName, dateColumn = 'created_at'): AutoHistory {
  return { history: historyNameOf(table), dateColumn, build: builderOf(table) };
}

const AUTO_HISTORY: ReadonlyMap<TableName, AutoHistory> = new Map(AUTO_TABLES.map(([table, dateColumn]) => [table, autoHistory(table, dateColumn)]));

export class HistorySink implements RowSink {
  private readonly auto: ReadonlyMap<TableName, AutoHistory>;

  /**
   * `alsoCreatedFinal`: tables of CREATION_STATE_TABLES whose rows this sink receives in their
   * creation state after all (the farm's opening feed stock is never drawn from).
   */
  constructor(
    private readonly inner: RowSink,
    private readonly ids: HistoryIds,
    alsoCreatedFinal: readonly TableName[] = [],
  ) {
    this.auto =
      alsoCreatedFinal.length === 0
        ? AUTO_HISTORY
        : new Map([...AUTO_HISTORY, ...alsoCreatedFinal.map((table) => [table, autoHistory(table)] as const)]);
  }

  emit<N extends TableName>(table: N, row: Row<N>): void {
    this.inner.emit(table, row);
    const auto = this.auto.get(table);
    if (auto === undefined) return;
    const at = (row as Record<string, unknown>)[auto.dateColumn] as string;
    this.inner.emit(auto.history, auto.build(row, this.ids(auto.history), at) as never);
  }
}
