/**
 * Deterministic IDs. Master data (the farm) uses 1..n in each table. Each batch owns one block of
 * IDs per table: batch `i` (0-based, in schedule order) writes IDs from (i + 1) * BATCH_ID_STRIDE + 1.
 * IDs therefore do not depend on how many workers run or in what order batches finish.
 * Sequences are set past the maximum after loading, so the app under test can insert.
 */
import type { TableName } from '../schema/tables/index.js';

export const BATCH_ID_STRIDE = 1_000_000;

export class IdBlock {
  /** One mutable counter per table: a single Map lookup per ID on the hot path. */
  private readonly counters = new Map<TableName, { n: number }>();

  constructor(readonly batchIndex: number) {
    if (!Number.isInteger(batchIndex) || batchIndex < 0) {
      throw new RangeError(`batch index must be a non-negative integer, got ${batchIndex}`);
    }
  }

  /** The next ID of `table` for this batch. */
  next(table: TableName): number {
    let counter = this.counters.get(table);
    if (counter === undefined) this.counters.set(table, (counter = { n: 0 }));
    const n = ++counter.n;
    if (n >= BATCH_ID_STRIDE) {
      throw new RangeError(`batch ${this.batchIndex} wrote more than ${BATCH_ID_STRIDE - 1} rows to ${table}`);
    }
    return (this.batchIndex + 1) * BATCH_ID_STRIDE + n;
  }

  /** The first ID any table gets in the block of batch `batchIndex`. */
  static firstIdOf(batchIndex: number): number {
    return (batchIndex + 1) * BATCH_ID_STRIDE + 1;
  }

  /** How many IDs of `table` this block has handed out. */
  used(table: TableName): number {
    return this.counters.get(table)?.n ?? 0;
  }
}

/** Dense 1..n IDs for master data. */
export class IdCounter {
  private readonly counters = new Map<TableName, number>();

  next(table: TableName): number {
    const n = (this.counters.get(table) ?? 0) + 1;
    this.counters.set(table, n);
    return n;
  }
}
