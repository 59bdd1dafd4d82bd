import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { createKysely } from '../db/pool.js';
import { tableNames, type Database, type TableName } from '../db/tables/index.js';
import type { PostgresServer } from '../provision/server.js';
import type { Schedule } from '../schedule/types.js';
import type { SeedResult } from './seed-database.js';

/** What a seed reports: where the farm is and what it took. */
export interface SeedSummary extends SeedResult {
  key: string;
  preset: string;
  provider: PostgresServer['provider'];
  database: string;
  /** Seconds to get the server up (embedded start, or the reachability check of a URL). */
  serverSeconds: number;
}

/**
 * A seeded farm: its connection URL, a typed Kysely handle, the schedule it was generated from and
 * its cache key. `close()` releases the pool and stops the server if aquaseed started it.
 */
export class Farm {
  readonly db: Kysely<Database>;
  private closed = false;

  constructor(
    readonly url: string,
    readonly schedule: Schedule,
    readonly key: string,
    readonly summary: SeedSummary,
    private readonly server: PostgresServer,
  ) {
    this.db = createKysely(url);
  }

  /** Exact row counts of every AquaMind table, read from the database. */
  async counts(): Promise<Record<TableName, number>> {
    const union = tableNames.map((name) => `SELECT '${name}' AS name, count(*)::int AS n FROM "${name}"`).join(' UNION ALL ');
    const { rows } = await sql<{ name: TableName; n: number }>`${sql.raw(union)}`.execute(this.db);
    return Object.fromEntries(rows.map((row) => [row.name, row.n])) as Record<TableName, number>;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.destroy();
    await this.server.stop();
  }
}
