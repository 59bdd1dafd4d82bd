/**
 * A schedule: every batch of a farm with its dates and pre-allocated containers. It is the
 * canonical input of seeding; its hash is the cache key. Containers are named (stable, readable
 * in YAML); the farm maps names to IDs.
 */
import type { GeographyName } from '../core/layout.js';
import type { Incident } from './incident-types.js';

/** A schedule's names of the freshwater stages, in stage order (Egg&Alevin … Post-Smolt). */
export const STAGE_KEYS = ['egg_alevin', 'fry', 'parr', 'smolt', 'post_smolt'] as const;
export type FreshwaterStageKey = (typeof STAGE_KEYS)[number];

export interface StageAllocation {
  stage: FreshwaterStageKey;
  hall: string;
  /** Container names, e.g. FI-FW-01-A-C01 … C10. */
  containers: string[];
  /** Batch-relative days, end exclusive: egg_alevin 0-90, fry 90-180, … */
  startDay: number;
  endDay: number;
}

export interface SeaAllocation {
  area: string;
  rings: string[];
  startDay: number;
  /**
   * End of the booking (exclusive): the worst-case day the batch's last ring is harvested, from
   * its own harvest target and a cold-water bound on growth (harvest-window.ts), never after the
   * Adult limit (startDay + adultMaxDays). The ring is free for another batch from this day on.
   */
  endDay: number;
}

export interface BatchPlan {
  /** 0-based position in the schedule; decides the batch's ID block and RNG streams. */
  index: number;
  batchNumber: string;
  geography: GeographyName;
  startDate: string;
  eggs: number;
  /** Harvest when the average weight reaches this (drawn from the seeded RNG at planning). */
  harvestTargetKg: number;
  freshwater: StageAllocation[];
  sea: SeaAllocation | null;
}

export interface Schedule {
  version: 1;
  preset: string;
  seed: string;
  /**
   * The farm's "today" (UTC day): active batches stop on it. With `asOfTime`, the farm's "now" is
   * that moment of it; without, its start (00:00). Nothing is stamped after that instant
   * (src/schedule/dates.ts), and what is due later is planned, not done.
   */
  asOf: string;
  /** Time of day (`HH:MM:SS`, UTC) of the farm's "now" on asOf; absent means 00:00:00. */
  asOfTime?: string;
  /** Days per freshwater stage (AquaMind: 90). */
  stageDays: number;
  /** Harvest is forced after this many Adult days (AquaMind: 450). */
  adultMaxDays: number;
  /**
   * Worker threads a seed of this schedule may use (from the preset). A hint only: table contents
   * do not depend on it, so it is not part of the cache key.
   */
  workers?: number;
  /**
   * Planned activities due within this many days before asOf are still PENDING on asOf, i.e.
   * overdue. Absent: none is (AquaMind's seed script completed everything due before its "today").
   */
  overdueActivityDays?: number;
  /**
   * The password of the farm's users (`admin` first), when not AquaMind's documented `admin123`
   * (src/core/domain.ts). Part of the cache key: the farm stores its hash.
   */
  adminPassword?: string;
  /**
   * Incidents in canonical form (docs/incidents.md). Absent: none; a schedule without incidents
   * seeds exactly as it did before incidents existed.
   */
  incidents?: Incident[];
  /** In start order (ties: cohort before ladder, Faroe Islands before Scotland); `index` is the position. */
  batches: BatchPlan[];
}
