/**
 * django-simple-history rows, derived from what the engine and the farm emit. AquaMind's ORM wrote
 * one historical row on every `create()` (`+`), every `save()` (`~`) and every `delete()` (`-`) of a
 * model with `history = HistoricalRecords()`, none for `bulk_create`/`update()`. Here one
 * mechanism writes them all:
 *
 * - `HistorySink.emit` of a row of a table in AUTO_HISTORY (a row created once and never changed:
 *   an event, master data) is followed by its `+` row, stamped with its own creation time.
 * - `HistorySink.track` starts a row whose state the farm changes over its life (the batch, an
 *   assignment, a workflow and its actions, a treatment, a planned activity, a stock lot): it
 *   writes the `+` row of the state it was created in; each `change(fields, at)` the engine records
 *   writes a `~` row of the state after it, at that moment; `close()` emits the base row with the
 *   last state, `delete(at)` a `-` row instead of it.
 *
 * So the history of every row is the list of its recorded changes (docs/fidelity.md, "History
 * tables"): the engine says what changed and when, never which history rows to write.
 * `history_user_id` is the user who made the change (the engine acts as system_admin; planned
 * activities are admin's), `history_change_reason` NULL as AquaMind's code leaves it.
 */
import { tables, type Row, type TableName } from '../schema/tables/index.js';
import type { RowSink } from './sink.js';

/** Base table → its history table, as the table definitions name them. */
const HISTORY_NAMES: Readonly<Partial<Record<TableName, TableName>>> = Object.fromEntries(
  Object.values(tables).flatMap((spec) => ('history' in spec && typeof spec.history === 'string' ? [[spec.name, spec.history]] : [])),
);

type HistoryType = '+' | '~' | '-';

/** A base table whose rows get a `+` history row, and the column that holds their creation time. */
interface AutoHistory {
  readonly history: TableName;
  readonly dateColumn: string;
  readonly build: HistoryRowBuilder;
}

/**
 * Tables whose rows are created once, one by one, and not changed afterwards, and whose `+` history
 * row is written on emit. (Scenario, reading, daily-state and projection tables have no history;
 * fish observations and scores were bulk-created.)
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
  ['batch_creationaction'],
  ['batch_mortalityevent'],
  ['batch_growthsample'],
  ['batch_individualgrowthobservation'],
  ['inventory_feedingevent'],
  ['inventory_containerfeedingsummary'],
  ['inventory_batchfeedingsummary'],
  ['health_journalentry'],
  ['health_healthsamplingevent'],
  ['health_licecount', 'count_date'],
  ['harvest_harvestevent'],
  ['harvest_harvestlot'],
  ['finance_factharvest'],
  ['finance_intercompanytransaction'],
  ['finance_core_costcenter'],
  ['finance_core_costcenterbatchlink', 'linked_at'],
];

/** Tables whose rows change over their life: their modules `track` them and record each change. */
export const TRACKED_TABLES: readonly TableName[] = [
  'batch_batch',
  'batch_batchcontainerassignment',
  'batch_creationworkflow',
  'batch_batchtransferworkflow',
  'batch_transferaction',
  'inventory_feedcontainerstock',
  'health_treatment',
  'planning_plannedactivity',
];

/** Every base table that receives history rows from aquaseed. */
export const HISTORISED_TABLES: readonly TableName[] = [...AUTO_TABLES.map(([table]) => table), ...TRACKED_TABLES];

/** The history table of a base table, as recorded in its definition. */
export function historyNameOf(table: TableName): TableName {
  const name = HISTORY_NAMES[table];
  if (!name) throw new Error(`${table} has no history table`);
  return name;
}

/** Hands out history_id values: the batch's ID block, or 1..n for the farm. */
export type HistoryIds = (historyTable: TableName) => number;

type HistoryRowBuilder = (row: object, historyId: number, at: string, type: HistoryType, user: number | null) => Record<string, unknown>;

const BUILDERS = new Map<TableName, HistoryRowBuilder>();

/**
 * The history row of a row of `table` in state `row` at `at`. Built by a function compiled per
 * table that copies the base columns into one object literal: a spread (`{ ...row, … }`) cost more
 * than generating the base row itself.
 */
export function historyRow(table: TableName, row: object, historyId: number, at: string, type: HistoryType = '+', user: number | null = null): Record<string, unknown> {
  return builderOf(table)(row, historyId, at, type, user);
}

function builderOf(table: TableName): HistoryRowBuilder {
  let build = BUILDERS.get(table);
  if (!build) {
    const fields = Object.keys(tables[table].columns).map((column) => `${JSON.stringify(column)}: r[${JSON.stringify(column)}]`);
    // Compiled once per table from our own definitions: a fixed-shape literal, no per-row key walk.
    build = new Function(
      `return function historyRow(r, id, at, type, user) { return { ${fields.join(', ')}, history_id: id, history_date: at, ` +
        `history_change_reason: null, history_type: type, history_user_id: user }; };`,
    )() as HistoryRowBuilder;
    BUILDERS.set(table, build);
  }
  return build;
}

function autoHistory(table: TableName, dateColumn = 'created_at'): AutoHistory {
  return { history: historyNameOf(table), dateColumn, build: builderOf(table) };
}

const AUTO_HISTORY: ReadonlyMap<TableName, AutoHistory> = new Map(AUTO_TABLES.map(([table, dateColumn]) => [table, autoHistory(table, dateColumn)]));

/**
 * A row the farm changes over its life (see the top of this file). Its state is the row as it is
 * now; the base row goes out once, with the last state, on `close()`.
 */
export class TrackedRow<N extends TableName> {
  private current: Row<N>;
  private done = false;
  private readonly hasUpdatedAt: boolean;

  constructor(
    private readonly out: HistorySink,
    readonly table: N,
    created: Row<N>,
    at: string,
    private readonly user: number | null,
  ) {
    this.current = created;
    this.hasUpdatedAt = 'updated_at' in tables[table].columns;
    out.writeHistory(table, created, at, '+', user);
  }

  /** The row as it is now. */
  get state(): Readonly<Row<N>> {
    return this.current;
  }

  /**
   * A change the farm records at `at`: the fields take their new values (and `updated_at` the
   * moment, where the table has it) and a `~` row keeps the state after it.
   */
  change(fields: Partial<Row<N>>, at: string, user: number | null = this.user): void {
    this.apply(fields, at);
    this.out.writeHistory(this.table, this.current, at, '~', user);
  }

  /**
   * A change AquaMind saves but the farm does not record as history (the daily re-saves of an
   * assignment's numbers, each FIFO draw from a stock lot): the fields change, no `~` row.
   */
  update(fields: Partial<Row<N>>, at?: string): void {
    this.apply(fields, at);
  }

  /** Emits the base row with its last state. */
  close(): void {
    this.finish();
    this.out.writeBase(this.table, this.current);
  }

  /** The row is deleted at `at`: a `-` row of its last state, and no base row. */
  delete(at: string, user: number | null = this.user): void {
    this.finish();
    this.out.writeHistory(this.table, this.current, at, '-', user);
  }

  private apply(fields: Partial<Row<N>>, at: string | undefined): void {
    if (this.done) throw new Error(`${this.table} row ${JSON.stringify(Object.values(this.current)[0])} changed after it was closed`);
    this.current = { ...this.current, ...(at !== undefined && this.hasUpdatedAt ? { updated_at: at } : {}), ...fields };
  }

  private finish(): void {
    if (this.done) throw new Error(`${this.table} row ${JSON.stringify(Object.values(this.current)[0])} closed twice`);
    this.done = true;
  }
}

export class HistorySink implements RowSink {
  private readonly auto: ReadonlyMap<TableName, AutoHistory>;

  /**
   * `user`: the auth_user the rows' history names (the one who created them). `alsoCreatedFinal`:
   * tables of TRACKED_TABLES this sink receives as rows that never change after all (the farm's
   * opening feed stock is never drawn from).
   */
  constructor(
    private readonly inner: RowSink,
    private readonly ids: HistoryIds,
    private readonly user: number | null,
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
    this.inner.emit(auto.history, auto.build(row, this.ids(auto.history), at, '+', this.user) as never);
  }

  /** Starts a row that changes over its life, created as `created` at `at` (by `user`). */
  track<N extends TableName>(table: N, created: Row<N>, at: string, user: number | null = this.user): TrackedRow<N> {
    return new TrackedRow(this, table, created, at, user);
  }

  /** @internal TrackedRow's history row. */
  writeHistory<N extends TableName>(table: N, row: Row<N>, at: string, type: HistoryType, user: number | null): void {
    const history = historyNameOf(table);
    this.inner.emit(history, builderOf(table)(row, this.ids(history), at, type, user) as never);
  }

  /** @internal TrackedRow's base row. */
  writeBase<N extends TableName>(table: N, row: Row<N>): void {
    this.inner.emit(table, row);
  }
}
