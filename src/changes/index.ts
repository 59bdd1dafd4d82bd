/**
 * What a database handle (Farm, FarmClone) offers for reset: track its changes, read them, put
 * them back. All run on the handle's own pool, so none costs a new connection.
 */
import type pg from 'pg';
import { trackChanges, type TrackingSummary } from './tracking.js';
import { resetDatabase, type ResetOptions, type ResetSummary } from './reset.js';
import { readChanges, type FarmChanges, type ReadChangesOptions } from './changes.js';

export type { TrackingSummary } from './tracking.js';
export type { ResetOptions, ResetSummary } from './reset.js';
export type { ChangedRow, FarmChanges, ReadChangesOptions, RowUpdate, TableChanges } from './changes.js';

export class ChangeTracker {
  constructor(
    private readonly pool: pg.Pool,
    private readonly database: string,
  ) {}

  track(): Promise<TrackingSummary> {
    return this.withClient((client) => trackChanges(client, this.database));
  }

  reset(options: ResetOptions = {}): Promise<ResetSummary> {
    return this.withClient((client) => resetDatabase(client, this.database, options));
  }

  changes(options: ReadChangesOptions = {}): Promise<FarmChanges> {
    return this.withClient((client) => readChanges(client, options));
  }

  private async withClient<T>(body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await body(client);
    } finally {
      client.release();
    }
  }
}
