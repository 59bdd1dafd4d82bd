/** The matchers' shapes, as both runners' `expect.extend` accept them and as `expect(farm)` shows them. */
import type { IncidentKind } from '../schedule/incident-types.js';
import type { TablePattern, WrittenMatch } from '../changes/expectations.js';
import type { FcrOptions, IncidentQuery, UtilizationOptions, VerifyOptions } from '../verify/index.js';

/** The part of both runners' matcher `this` that the matchers read. */
export interface MatcherContext {
  readonly isNot?: boolean;
}

/** Assignable to Vitest's ExpectationResult and Playwright's MatcherReturnType. */
export interface MatcherOutcome {
  pass: boolean;
  message: () => string;
  name: string;
}

/** The matcher call as written, for the first line of a message. */
export interface MatcherCall {
  matcher: string;
  args: readonly unknown[];
}

/** What the matchers look like on `expect(farm)`; `R` is the runner's return type (Promise<void>). */
export interface AquaseedMatchers<R = unknown> {
  /** Harvested fish ÷ eggs placed of every COMPLETED batch lies in [min, max] (fractions, e.g. 0.83, 0.87). */
  toHaveSurvivalWithin(min: number, max: number): R;
  /** Feed ÷ biomass gain of every batch old enough to judge lies in [min, max]. */
  toHaveFcrWithin(min: number, max: number, options?: Pick<FcrOptions, 'minStageOrder' | 'eggWeightG'>): R;
  /** Fish alive at the start of day N (AquaMind day_number) of every batch that reached it; the Issue #112 guard. */
  toHavePopulationAtDay(day: number, range?: { min: number; max: number; doubledAbove?: number }): R;
  /** Every environmental reading links to an assignment of its batch and container, in place that day. */
  toHaveFullEnvironmentalLinkage(): R;
  /** No container holds two assignments (two batches, or one batch twice) on the same day. */
  toHaveNoContainerConflicts(): R;
  /** Live kilograms per harvested fish of every COMPLETED batch lies in [minKg, maxKg]. */
  toHaveHarvestWeightsWithin(minKg: number, maxKg: number): R;
  /** COMPLETED batches went through all six stages; ACTIVE ones through every stage so far. */
  toHaveAllStages(): R;
  /** No feed stock row holds less than 0 kg. */
  toHaveNonNegativeFeedStock(): R;
  /**
   * The share of HOLDING containers holding a batch on asOf lies in [min, max] (fractions, e.g.
   * 0.25, 0.5); farm-wide, or one geography's and/or freshwater's or sea's containers.
   */
  toHaveUtilizationWithin(min: number, max: number, options?: Pick<UtilizationOptions, 'asOf' | 'geography' | 'water'>): R;
  /**
   * Every batch wrote the rows the per-batch formulas of AquaMind's engine notes give for its plan
   * in the stored schedule (assignments, readings, meals, samples, lice counts, health sampling,
   * treatments, harvest, finance, scenario, daily states …), and related tables match exactly
   * (75 fish per health sampling event, a score per fish per parameter, one daily state per
   * assignment-day).
   */
  toMatchPresetVolumes(): R;
  /** Every check of verifyFarm passes. */
  toPassAllChecks(options?: VerifyOptions): R;
  /**
   * The farm's rows show an incident of this kind (docs/incidents.md): a lice count above the
   * treatment threshold, oxygen below or temperature above the sensor's safe range, a day killing
   * 1 % or more of a container's fish, a diagnosis with a poorly scoring health sample, a harvest
   * pending past its due day, feed below the re-order level; optionally of one batch (number or
   * rung label), container (name or its end, e.g. Ring-07), day, or (lice) treated or not.
   */
  toHaveIncident(kind: IncidentKind, where?: IncidentQuery): R;
  /**
   * On a tracked farm (`reset` isolation, `trackChanges()`): rows of `table` were written since the
   * test started (inserted, updated, or deleted). `match` left out: at least one; a number: exactly
   * that many; a partial row: one like it (as toMatchObject compares, plus RegExps for strings and
   * ISO strings for timestamps); `{ where, count?, kind? }`: rows matching `where`, counted.
   */
  toHaveWritten(table: string, match?: WrittenMatch): R;
  /**
   * On a tracked farm: every table changed since the test started is one of `tables` (names, or
   * RegExps for an app's own bookkeeping such as sessions and history tables).
   */
  toHaveChangedOnly(tables: TablePattern | readonly TablePattern[]): R;
}

