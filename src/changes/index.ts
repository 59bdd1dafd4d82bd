/**
 * What a database handle (Farm, FarmClone) offers for reset: track its changes, put it back.
 * Both run on the handle's own pool, so a reset costs no new connection.
 */
import type pg from 'pg';
import { trackChanges, type TrackingSummary } from './tracking.js';
import { resetDatabase, type ResetOptions, type ResetSummary } from './reset.js';

export type { TrackingSummary } from './tracking.js';
export type { ResetOptions, ResetSummary } from './reset.js';

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

  private async withClient<T>(body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await body(client);
    } finally {
      client.release();
    }
  }
}
