/**
 * Every check against one farm: the post-seed gate, `aquaseed verify` and `toPassAllChecks()`.
 * A URL target gets one pool for all checks; the checks run concurrently on it (each is a single
 * scan, and on a big farm the environmental scan dominates, so the others ride along for free).
 */
import { containerConflicts } from './container-conflicts.js';
import { environmentalLinkage } from './environmental-linkage.js';
import { fcr, type FcrOptions } from './fcr.js';
import { feedStock } from './feed-stock.js';
import { feedingLinkage } from './feeding-linkage.js';
import { harvestWeight } from './harvest-weight.js';
import { mortalityLinkage } from './mortality-linkage.js';
import { populationAtDay, type PopulationAtDayOptions } from './population-at-day.js';
import { presetVolumes } from './preset-volumes.js';
import { stageCoverage } from './stage-coverage.js';
import { survival } from './survival.js';
import { targetAsOf, withFarmDb, type FarmTarget } from './target.js';
import { utilization } from './utilization.js';
import { judgeSkip, readFarmContents } from './missing-data.js';
import type { CheckName, CheckResult, Range, VerifyReport } from './types.js';

export interface VerifyOptions {
  /** Run only these checks (default: all, in the order of CHECK_NAMES). */
  checks?: readonly CheckName[];
  survival?: Range;
  fcr?: Partial<FcrOptions>;
  harvestWeightKg?: Range;
  populationAtDay?: PopulationAtDayOptions;
  /** Range the share of HOLDING containers occupied on asOf must lie in (default 0-1: reported only). */
  utilization?: Range;
  /** The farm's last day (YYYY-MM-DD); defaults to a Farm handle's schedule.asOf. */
  asOf?: string;
}

export const CHECK_NAMES: readonly CheckName[] = [
  'survival',
  'fcr',
  'harvestWeight',
  'populationAtDay',
  'environmentalLinkage',
  'mortalityLinkage',
  'feedingLinkage',
  'containerConflicts',
  'stageCoverage',
  'feedStock',
  'utilization',
  'presetVolumes',
];

export async function verifyFarm(target: FarmTarget, options: VerifyOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  const asOf = options.asOf ?? targetAsOf(target);
  const wanted = CHECK_NAMES.filter((name) => !options.checks || options.checks.includes(name));
  const checks = await withFarmDb(target, async (db) => {
    const run: Record<CheckName, () => Promise<CheckResult>> = {
      survival: () => survival(db, options.survival),
      fcr: () => fcr(db, options.fcr),
      harvestWeight: () => harvestWeight(db, options.harvestWeightKg),
      populationAtDay: () => populationAtDay(db, { ...(asOf ? { asOf } : {}), ...options.populationAtDay }),
      environmentalLinkage: () => environmentalLinkage(db),
      mortalityLinkage: () => mortalityLinkage(db),
      feedingLinkage: () => feedingLinkage(db),
      containerConflicts: () => containerConflicts(db),
      stageCoverage: () => stageCoverage(db),
      feedStock: () => feedStock(db),
      utilization: () => utilization(db, { ...(asOf ? { asOf } : {}), ...options.utilization }),
      presetVolumes: () => presetVolumes(db),
    };
    const [contents, results] = await Promise.all([readFarmContents(db), Promise.all(wanted.map((name) => run[name]()))]);
    return results.map((check) => judgeSkip(check, contents));
  });
  return { pass: checks.every((check) => check.pass), checks, durationMs: performance.now() - started };
}
