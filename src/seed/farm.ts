/**
 * The `Farm` handle a seed hands out, and the `FarmClone` of `farm.clone()`. Both are public as
 * interfaces: a handle is made by `seedFarm` / `openFarm` (createFarm below), never by a caller,
 * since it owns a server that only aquaseed's provisioning can start.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { createKysely, createPool } from '../db/pool.js';
import { tableNames, type Database, type TableName } from '../schema/tables/index.js';
import type { PostgresServer } from '../provision/server.js';
import type { Schedule } from '../schedule/types.js';
import { asOfInstant } from '../schedule/dates.js';
import { cloneDatabase, dropDatabase, type CloneMethod, type CloneStrategy } from '../db/clone.js';
import { ChangeTracker, type FarmChanges, type ReadChangesOptions, type ResetOptions, type ResetSummary, type TrackingSummary } from '../changes/index.js';
import type { SeedSummary } from './seed-result.js';

export type { SeedSummary } from './seed-result.js';

export interface CloneOptions {
  /** The new database's name (default `<database>_clone_<pid>_<n>`). */
  name?: string;
  /** How PostgreSQL copies the files: `FILE_COPY` (the default) or `WAL_LOG`. */
  strategy?: CloneStrategy;
  /**
   * Track the clone's changes from the start, so that `clone.reset()` puts it back as seeded
   * (see `trackChanges()`); tracking adds a little to every write.
   */
  resettable?: boolean;
}

/**
 * A seeded farm: its connection URL, a typed Kysely handle, the schedule it was generated from and
 * its cache key. `close()` releases the pool and stops the server if aquaseed started it.
 */
export interface Farm {
  /** The farm database's connection URL. */
  readonly url: string;
  /** Kysely<Database>: every AquaMind table, typed. */
  readonly db: Kysely<Database>;
  /** The planned schedule the farm was generated from. */
  readonly schedule: Schedule;
  /** sha256 of the canonical schedule, the engine version and the schema version. */
  readonly key: string;
  /** Where the farm is and what seeding it took. */
  readonly summary: SeedSummary;
  /**
   * Starts tracking which tables and rows any session (an app's own connections too) changes,
   * so that `reset()` can put exactly those back; what the database holds now is what reset()
   * returns to. Call it before anything writes. Idempotent.
   */
  trackChanges(): Promise<TrackingSummary>;
  /**
   * Puts every row and sequence changed since `trackChanges()` (or the last reset) back as it
   * was, in one transaction, at a cost proportional to what changed. Waits for other sessions'
   * open transactions that wrote. Schema changes are not undone: they fail with
   * AQUASEED_RESET_IMPOSSIBLE.
   */
  reset(options?: ResetOptions): Promise<ResetSummary>;
  /**
   * What every session (the app's own connections too) changed since `trackChanges()` or the last
   * reset, per table: the rows inserted, updated (before, after, the columns that differ) and
   * deleted. Costs what changed, not the size of the tables. Only on a tracked farm (`reset`
   * isolation, `trackChanges()`, `clone({ resettable: true })`); AQUASEED_NOT_TRACKED otherwise.
   */
  changes(options?: ReadChangesOptions): Promise<FarmChanges>;
  /**
   * Exact row counts of every AquaMind table, read from the database. A table the database does not
   * have (an app its AquaMind version predates, in existing-schema mode) is left out.
   */
  counts(): Promise<Record<TableName, number>>;
  /**
   * An isolated copy of this farm in a new database on the same server (CREATE DATABASE … TEMPLATE,
   * FILE_COPY). Sessions of the app under test must not be connected to `url` while cloning.
   * Each clone is dropped by its own `close()` or, at the latest, by the farm's.
   */
  clone(options?: CloneOptions): Promise<FarmClone>;
  /** Closes the farm's clones and pool, and stops the server if aquaseed started it. */
  close(): Promise<void>;
}

/** An isolated copy of a seeded farm; `close()` drops its database. */
export interface FarmClone {
  readonly url: string;
  /** The clone's database name. */
  readonly database: string;
  /**
   * How its files were made and how long `clone()` took: `reflink` on PostgreSQL 18 over a
   * copy-on-write filesystem (XFS, Btrfs, APFS), else `file copy` (or `WAL log`, asked for).
   */
  readonly copy: { method: 'reflink' | 'file copy' | 'WAL log'; seconds: number };
  readonly db: Kysely<Database>;
  /** As `Farm.trackChanges()`; `farm.clone({ resettable: true })` calls it for you. */
  trackChanges(): Promise<TrackingSummary>;
  /** As `Farm.reset()`: puts what changed since tracking began back as seeded. */
  reset(options?: ResetOptions): Promise<ResetSummary>;
  /** As `Farm.changes()`: what changed since tracking began or the last reset. */
  changes(options?: ReadChangesOptions): Promise<FarmChanges>;
  close(): Promise<void>;
}

/** The handle on a seeded farm in `url`, served by `server` (stopped on close). The summary gets the schedule's instant. */
export function createFarm(url: string, schedule: Schedule, key: string, summary: Omit<SeedSummary, 'asOf'>, server: PostgresServer): Farm {
  return new SeededFarm(url, schedule, key, { ...summary, asOf: asOfInstant(schedule) }, server);
}

class SeededFarm implements Farm {
  readonly db: Kysely<Database>;
  private readonly tracker: ChangeTracker;
  private closed = false;
  private cloneCount = 0;
  private readonly clones = new Set<ClonedFarm>();

  constructor(
    readonly url: string,
    readonly schedule: Schedule,
    readonly key: string,
    readonly summary: SeedSummary,
    private readonly server: PostgresServer,
  ) {
    const pool = createPool(url);
    this.db = createKysely(url, pool);
    this.tracker = new ChangeTracker(pool, summary.database);
  }

  trackChanges(): Promise<TrackingSummary> {
    return this.tracker.track();
  }

  reset(options: ResetOptions = {}): Promise<ResetSummary> {
    return this.tracker.reset(options);
  }

  changes(options: ReadChangesOptions = {}): Promise<FarmChanges> {
    return this.tracker.changes(options);
  }

  async counts(): Promise<Record<TableName, number>> {
    const { rows: present } = await sql<{ name: TableName }>`
      SELECT c.relname AS name FROM pg_class c
       WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND c.relname = ANY(${tableNames as string[]})`.execute(this.db);
    const names = new Set(present.map((row) => row.name));
    const union = tableNames
      .filter((name) => names.has(name))
      .map((name) => `SELECT '${name}' AS name, count(*)::int AS n FROM "${name}"`)
      .join(' UNION ALL ');
    const { rows } = await sql<{ name: TableName; n: number }>`${sql.raw(union)}`.execute(this.db);
    return Object.fromEntries(rows.map((row) => [row.name, row.n])) as Record<TableName, number>;
  }

  async clone(options: CloneOptions = {}): Promise<FarmClone> {
    const source = new URL(this.url).pathname.slice(1);
    const name = options.name ?? `${source}_clone_${process.pid}_${++this.cloneCount}`.slice(0, 63);
    const maintenance = this.server.url(this.server.maintenanceDatabase);
    const started = performance.now();
    const method = await cloneDatabase(maintenance, decodeURIComponent(source), name, options.strategy);
    const copy = { method, seconds: (performance.now() - started) / 1000 };
    const clone = new ClonedFarm(this.server.url(name), name, maintenance, copy, () => this.clones.delete(clone));
    this.clones.add(clone);
    if (options.resettable) {
      // A clone that cannot be reset is not what was asked for: drop it rather than hand it out.
      await clone.trackChanges().catch(async (error: unknown) => {
        await clone.close();
        throw error;
      });
    }
    return clone;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.clones].map((clone) => clone.close()));
    await this.db.destroy();
    await this.server.stop();
  }
}

class ClonedFarm implements FarmClone {
  readonly db: Kysely<Database>;
  private readonly tracker: ChangeTracker;
  private closed = false;

  constructor(
    readonly url: string,
    readonly database: string,
    private readonly maintenanceUrl: string,
    readonly copy: { method: CloneMethod; seconds: number },
    private readonly onClose: () => void,
  ) {
    const pool = createPool(url);
    this.db = createKysely(url, pool);
    this.tracker = new ChangeTracker(pool, database);
  }

  trackChanges(): Promise<TrackingSummary> {
    return this.tracker.track();
  }

  reset(options: ResetOptions = {}): Promise<ResetSummary> {
    return this.tracker.reset(options);
  }

  changes(options: ReadChangesOptions = {}): Promise<FarmChanges> {
    return this.tracker.changes(options);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    await this.db.destroy();
    await dropDatabase(this.maintenanceUrl, this.database);
  }
}
