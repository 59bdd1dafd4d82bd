/**
 * What a seed reports: per-table counts, the time of each phase, what the database held before,
 * and, for a `Farm`, where the farm is.
 */
import type { DatabaseState } from '../db/guard.js';
import type { PostgresServer } from '../provision/server.js';

/** Seconds per phase of one seed. */
export interface SeedTimings {
  generateLoad: number;
  keys: number;
  indexes: number;
  analyze: number;
  publish: number;
  total: number;
  /**
   * Writing the snapshot cache entry, when one was written: physical, stop, copy and restart; logical,
   * what it took beyond the load (its files are written while the farm loads).
   */
  snapshot?: number;
  /** Migrate mode: the app's migrate command, and its setup command. */
  migrate?: number;
  setup?: number;
}

export interface SeedResult {
  rowCounts: Record<string, number>;
  totalRows: number;
  timings: SeedTimings;
  previous: DatabaseState;
  /** True when an already-seeded database was served instead of seeding (`reuse`). */
  reused: boolean;
  /** True when the farm was restored from the snapshot cache instead of generated. */
  restored?: boolean;
}

/** What a seed reports: where the farm is and what it took. */
export interface SeedSummary extends SeedResult {
  key: string;
  preset: string;
  /** The farm's "now" (ISO instant, UTC): nothing in it is stamped later (docs/fidelity.md). */
  asOf: string;
  provider: PostgresServer['provider'];
  database: string;
  /** Seconds to get the server up (embedded start, or the reachability check of a URL). */
  serverSeconds: number;
  /** Embedded: the server is another live aquaseed process's (`aquaseed up`); it keeps running after close(). */
  sharedServer?: boolean;
  /**
   * A farm restored from a physical cache entry: how its files were copied (`reflink`: cloned,
   * nothing read or written, where the filesystem shares blocks; `file copy`: every byte read,
   * checked against its hash and written), how many megabytes and how long (within serverSeconds).
   */
  restoreCopy?: { method: 'reflink' | 'file copy'; megabytes: number; seconds: number };
}

/** The timings of a farm that was served, not seeded (restored files, an already-seeded database). */
export function noTimings(): SeedTimings {
  return { generateLoad: 0, keys: 0, indexes: 0, analyze: 0, publish: 0, total: 0 };
}

/** The total of a marker's or a manifest's per-table counts. */
export function totalOf(rowCounts: Readonly<Record<string, number>>): number {
  return Object.values(rowCounts).reduce((sum, n) => sum + n, 0);
}
