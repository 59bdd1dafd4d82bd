import type pg from 'pg';
import type { DdlStatement } from './ddl.js';
import type { TableName } from '../schema/tables/index.js';
import { connectClient, endQuietly } from './client.js';
import { maintenanceWorkMem } from './maintenance-memory.js';

/**
 * Which tables hold their rows yet, while a load goes on: statements on the others wait (their
 * builds overlap the rest of the load, as pg_restore's do). `fail` stops the waiting statements.
 */
export class TableGate {
  private readonly open = new Set<TableName>();
  private all = false;
  private listeners: (() => void)[] = [];
  private failed: unknown = null;

  /** Why the load failed, or null. */
  get failure(): unknown {
    return this.failed;
  }

  has(table: TableName): boolean {
    return this.all || this.open.has(table);
  }

  /** True when a statement on a table not yet loaded could still become runnable. */
  get pending(): boolean {
    return !this.all && this.failed === null;
  }

  /** The table's rows are in (committed). */
  opened(table: TableName): void {
    this.open.add(table);
    this.notify();
  }

  /** Every table's rows are in. */
  openAll(): void {
    this.all = true;
    this.notify();
  }

  /** The load failed: nothing more starts. */
  fail(error: unknown): void {
    this.failed ??= error;
    this.notify();
  }

  /** Calls `listener` on the next change. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private notify(): void {
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }
}

/**
 * Runs statements on `connections` connections at once, largest tables first: after a bulk load,
 * index builds dominate, and two cores build two indexes at a time. A connection takes the
 * heaviest statement whose table lock does not conflict with what the others run (as pg_restore
 * does): index builds share a table, a VALIDATE or ANALYZE has it alone. So no connection waits on
 * a lock while there is other work, and none can deadlock. With a `gate`, a statement waits
 * until its table is loaded.
 */
export async function runParallel(
  connectionString: string,
  statements: readonly DdlStatement[],
  connections: number,
  weight: (statement: DdlStatement) => number = () => 0,
  gate?: TableGate,
): Promise<void> {
  const queue = [...statements].sort((a, b) => weight(b) - weight(a));
  const clients: pg.Client[] = [];
  const running = new Map<DdlStatement['table'], { shared: number; alone: boolean }>();
  let changed: () => void = () => {};
  const fits = (statement: DdlStatement): boolean => {
    if (gate && !gate.has(statement.table)) return false;
    const on = running.get(statement.table);
    return !on || (!on.alone && statement.lock === 'shared');
  };
  const opened = Math.min(connections, queue.length);
  const memory = maintenanceWorkMem(connectionString, opened);
  try {
    for (let i = 0; i < opened; i++) {
      const client = await connectClient(connectionString);
      // Parallel workers inside one index build lose to whole builds side by side on a small machine
      // (measured: 3 builds at once 0.88 s, one build at a time with 2 workers each 1.26 s).
      await client.query(`SET maintenance_work_mem = '${memory}'; SET max_parallel_maintenance_workers = 0`);
      clients.push(client);
    }
    let failure: unknown = null;
    await Promise.all(
      clients.map(async (client) => {
        while (queue.length > 0 && failure === null) {
          if (gate && gate.failure !== null) {
            failure = gate.failure;
            break;
          }
          const at = queue.findIndex(fits);
          if (at < 0) {
            // Everything left waits for a table another connection holds, or one still loading:
            // wait for a statement to end or a table to load.
            await new Promise<void>((resolve) => {
              const previous = changed;
              changed = () => {
                previous();
                resolve();
              };
              if (gate?.pending) {
                gate.onChange(() => {
                  const wake = changed;
                  changed = () => {};
                  wake();
                });
              }
            });
            continue;
          }
          const [next] = queue.splice(at, 1) as [DdlStatement];
          const on = running.get(next.table) ?? { shared: 0, alone: false };
          if (next.lock === 'shared') on.shared += 1;
          else on.alone = true;
          running.set(next.table, on);
          try {
            await client.query(next.sql);
          } catch (error) {
            failure ??= new Error(`${(error as Error).message} in: ${next.sql.slice(0, 300)}`, { cause: error });
          } finally {
            if (next.lock === 'shared') on.shared -= 1;
            else on.alone = false;
            if (on.shared === 0 && !on.alone) running.delete(next.table);
            const wake = changed;
            changed = () => {};
            wake();
          }
        }
      }),
    );
    if (failure !== null) throw failure;
  } finally {
    await Promise.all(clients.map(endQuietly));
  }
}
