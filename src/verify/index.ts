/**
 * Farm verification: AquaMind's documented quality criteria as set-based SQL checks. Used by the
 * matchers (fixtures/matchers.ts), the CLI's `verify` and the post-seed gate.
 */
export { verifyFarm, CHECK_NAMES, type VerifyOptions } from './verify-farm.js';
export { survival, DEFAULT_SURVIVAL } from './survival.js';
export { fcr, DEFAULT_FCR, type FcrOptions } from './fcr.js';
export { harvestWeight, DEFAULT_HARVEST_WEIGHT_KG } from './harvest-weight.js';
export { populationAtDay, type PopulationAtDayOptions } from './population-at-day.js';
export { environmentalLinkage } from './environmental-linkage.js';
export { mortalityLinkage } from './mortality-linkage.js';
export { feedingLinkage } from './feeding-linkage.js';
export { containerConflicts } from './container-conflicts.js';
export { stageCoverage } from './stage-coverage.js';
export { feedStock } from './feed-stock.js';
export { utilization, DEFAULT_UTILIZATION, type UtilizationOptions, type Water } from './utilization.js';
export { presetVolumes } from './preset-volumes.js';
export { expectedVolumes, type BatchFacts, type AssignmentSpan, type VolumeExpectation } from './volume-formulas.js';
export { type FarmTarget, isFarmTarget, assertFarmTarget, withFarmDb } from './target.js';
export { formatValue, formatRange } from './format.js';
export { checkRange } from './judge.js';
export { batchLine, failureLines, passSummary, formatReport } from './describe.js';
export type { BatchValue, CheckName, CheckResult, Range, Unit, VerifyReport } from './types.js';
export {
  incidentEvidence,
  matchesQuery,
  assertIncidentKind,
  INCIDENT_SIGN,
  MORTALITY_SPIKE_SHARE,
  DISEASED_MEAN_SCORE,
  type IncidentEvidence,
  type IncidentQuery,
} from './incidents.js';
