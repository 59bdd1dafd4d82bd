/**
 * What every check returns. One shape for all checks, so the CLI, the post-seed gate and the
 * matchers of both test runners can render any check without knowing which one it is.
 */

export type CheckName =
  | 'survival'
  | 'fcr'
  | 'harvestWeight'
  | 'populationAtDay'
  | 'environmentalLinkage'
  | 'mortalityLinkage'
  | 'feedingLinkage'
  | 'containerConflicts'
  | 'stageCoverage'
  | 'feedStock'
  | 'utilization'
  | 'presetVolumes';

/**
 * How a value is shown: `fraction` as a percentage, `ratio` with two decimals (FCR), `kg` with two
 * decimals, `fish`, `rows`, `pairs` and `stages` as grouped integers.
 */
export type Unit = 'fraction' | 'ratio' | 'kg' | 'fish' | 'rows' | 'pairs' | 'stages';

/** An inclusive range; `min === max` means an exact expectation (linkage 1, conflicts 0). */
export interface Range {
  min: number;
  max: number;
}

export interface BatchValue {
  batchNumber: string;
  /** `null` when the figure cannot be computed (no eggs recorded, no harvest, no gain): a failure. */
  value: number | null;
  pass: boolean;
  /** Why the value is what it is, in words: "doubled (AquaMind Issue #112)", "no harvest recorded". */
  note?: string;
}

export interface CheckResult {
  name: CheckName;
  /** Human label used in messages: "survival", "population at day 91", "environmental linkage". */
  label: string;
  pass: boolean;
  /**
   * The farm-level figure: the pooled ratio for ratio checks (all harvested fish ÷ all eggs), the
   * worst batch for population, the number of offending rows/pairs/batches for the zero checks.
   * `null` when nothing could be judged.
   */
  value: number | null;
  expected: Range;
  unit: Unit;
  /** One entry per judged batch, ordered by batch number. */
  perBatch: BatchValue[];
  /** The batch farthest outside the range (or, when all pass, the one closest to its edge). */
  worst?: { batchNumber: string; value: number | null };
  /** Extra context for messages, one finding per line: offending rows, conflicting pairs, batches left out. */
  detail?: string;
  /** Tallies behind the value, e.g. `{ rows, bad, wrongContainer }` for a linkage check. */
  counts?: Record<string, number>;
  /**
   * Set when there was nothing to judge because the farm does not contain it by design (e.g. no
   * batch old enough to be COMPLETED): the check passes vacuously.
   */
  skipped?: string;
  /**
   * Set when the check could not run because data it needs is missing (a wiped farm, an emptied
   * table the seed filled): the check fails, and this says which data.
   */
  missing?: string;
}

export interface VerifyReport {
  /** Every check passed (skipped-by-design checks count as passed; missing data fails). */
  pass: boolean;
  checks: CheckResult[];
  /** Wall time of the whole verification, in milliseconds. */
  durationMs: number;
}
