/**
 * Existing-schema mode's row sink: the rows of `directTables` go to the loader on the replacement
 * transaction's connection, in the database's numbering of users and content types; every other
 * row goes to the staging schema in the generator's numbering (it is remapped when copied in).
 * See DIRECT_TABLES in src/db/existing-schema.ts for why the rows are split.
 */
import type { Row, TableName } from '../schema/tables/index.js';
import type { RowSink } from '../rows/sink.js';
import { addCounts, type RowLoader } from './copy-loader.js';
import { remapRows, type Remap } from './existing-shared-rows.js';

export class SplitLoader implements RowLoader {
  private readonly directSink: RowSink;

  constructor(
    private readonly direct: RowLoader,
    private readonly staged: RowLoader,
    private readonly directTables: ReadonlySet<TableName>,
    remap: Remap,
  ) {
    this.directSink = remapRows(direct, remap);
  }

  emit<N extends TableName>(table: N, row: Row<N>): void {
    if (this.directTables.has(table)) this.directSink.emit(table, row);
    else this.staged.emit(table, row);
  }

  hasQueuedWork(): boolean {
    return this.direct.hasQueuedWork() || this.staged.hasQueuedWork();
  }

  needsDrain(): boolean {
    return this.direct.needsDrain() || this.staged.needsDrain();
  }

  async drain(): Promise<void> {
    await Promise.all([this.direct.needsDrain() ? this.direct.drain() : null, this.staged.needsDrain() ? this.staged.drain() : null]);
  }

  async finish(): Promise<Map<TableName, number>> {
    const [direct, staged] = await Promise.all([this.direct.finish(), this.staged.finish()]);
    return addCounts(direct, staged);
  }

  async abort(): Promise<void> {
    await Promise.all([this.direct.abort(), this.staged.abort()]);
  }
}
