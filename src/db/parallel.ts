import type pg from 'pg';
import type { DdlStatement } from './ddl.js';
import { connectClient, endQuietly } from './client.js';
import { maintenanceWorkMem } from './maintenance-memory.js';

/**
 * Runs statements on `connections` connections at once, largest tables first: after a bulk load,
 * index builds dominate, and two cores build two indexes at a time. A connection takes the
 * heaviest statement whose table lock does not conflict with what the others run (as pg_restore
 * does): index builds share a table, a VALIDATE or ANALYZE has it alone. So no connection waits on
 * a lock while there is other work, and none can deadlock.
 */
export async function runParallel(
  connectionString: string,
  statements: readonly DdlStatement[],
  connections: number,
  weight: (statement: DdlStatement) => number = () => 0,
): Promise<void> {
  const queue = [...statements].sort((a, b) => weight(b) - weight(a));
  const clients: pg.Client[] = [];
  const running = new Map<DdlStatement['table'], { shared: number; alone: boolean }>();
  let changed: () => void = () => {};
  const fits = (statement: DdlStatement): boolean => {
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
          const at = queue.findIndex(fits);
          if (at < 0) {
            // Everything left waits for a table another connection holds: wait for a statement to end.
            await new Promise<void>((resolve) => {
              const previous = changed;
              changed = () => {
                previous();
                resolve();
              };
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
