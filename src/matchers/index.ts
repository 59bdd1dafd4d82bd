/**
 * The farm matchers, written once for both runners. Each is a plain async function
 * `(this, received, ...args) => Promise<{ pass, message, name }>`, the shape Vitest's and
 * Playwright's `expect.extend` both accept:
 *
 *   Vitest:      expect.extend(aquaseedMatchers)            (typed through AquaseedMatchers<R>)
 *   Playwright:  export const expect = baseExpect.extend(aquaseedMatchers)   (types inferred)
 *
 * `pass` is always the truth about the farm; the runner inverts it for `.not`. The message depends
 * only on `pass`: a failing check explains the failing batches, a passing one (shown only under
 * `.not`) explains why it unexpectedly passed. `received` is a FarmTarget: the Farm handle of
 * seedFarm(), a Kysely<Database> or a connection URL; for what the app wrote (toHaveWritten,
 * toHaveChangedOnly), a tracked Farm, FarmClone or URL.
 */
import {
  toHaveAllStages,
  toHaveFcrWithin,
  toHaveFullEnvironmentalLinkage,
  toHaveHarvestWeightsWithin,
  toHaveNoContainerConflicts,
  toHaveNonNegativeFeedStock,
  toHavePopulationAtDay,
  toHaveSurvivalWithin,
  toHaveUtilizationWithin,
  toMatchPresetVolumes,
  toPassAllChecks,
} from './farm-checks.js';
import { toHaveIncident } from './incident.js';
import { toHaveChangedOnly, toHaveWritten } from './changes.js';

export type { AquaseedMatchers, MatcherCall, MatcherContext, MatcherOutcome } from './types.js';
export { checkOutcome, reportOutcome } from './outcome.js';
export { withDiff, type DiffContext, type ExpectationResult, type TablePattern, type WrittenMatch, type WrittenQuery, type ChangeKind, type PartialRow } from './changes.js';
export {
  toHaveAllStages,
  toHaveFcrWithin,
  toHaveFullEnvironmentalLinkage,
  toHaveHarvestWeightsWithin,
  toHaveIncident,
  toHaveNoContainerConflicts,
  toHaveNonNegativeFeedStock,
  toHavePopulationAtDay,
  toHaveSurvivalWithin,
  toHaveUtilizationWithin,
  toMatchPresetVolumes,
  toPassAllChecks,
  toHaveWritten,
  toHaveChangedOnly,
};

/** Everything above, ready for `expect.extend`. */
export const aquaseedMatchers = {
  toHaveSurvivalWithin,
  toHaveFcrWithin,
  toHavePopulationAtDay,
  toHaveFullEnvironmentalLinkage,
  toHaveNoContainerConflicts,
  toHaveHarvestWeightsWithin,
  toHaveAllStages,
  toHaveNonNegativeFeedStock,
  toHaveUtilizationWithin,
  toMatchPresetVolumes,
  toPassAllChecks,
  toHaveIncident,
  toHaveWritten,
  toHaveChangedOnly,
};

