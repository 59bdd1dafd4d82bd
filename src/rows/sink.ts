import type { Row, TableName } from '../schema/tables/index.js';

/**
 * Where generated rows go. The engine and the farm call `emit` once per row, in the table's
 * column order's terms (a typed object); the COPY writer encodes and streams them.
 */
export interface RowSink {
  emit<N extends TableName>(table: N, row: Row<N>): void;
}

/** A sink that keeps rows in memory, for unit tests of the pure engine. */
export class MemorySink implements RowSink {
  readonly rows = new Map<TableName, unknown[]>();

  emit<N extends TableName>(table: N, row: Row<N>): void {
    let list = this.rows.get(table);
    if (!list) this.rows.set(table, (list = []));
    list.push(row);
  }

  of<N extends TableName>(table: N): Row<N>[] {
    return (this.rows.get(table) ?? []) as Row<N>[];
  }

  count(table: TableName): number {
    return this.rows.get(table)?.length ?? 0;
  }
}
