/** The matchers over the farm checks of src/verify: one check each, its result as the outcome. */
import {
  containerConflicts,
  DEFAULT_FCR,
  environmentalLinkage,
  fcr,
  feedStock,
  harvestWeight,
  populationAtDay,
  presetVolumes,
  stageCoverage,
  survival,
  utilization,
  verifyFarm,
  type FcrOptions,
  type UtilizationOptions,
  type VerifyOptions,
} from '../verify/index.js';
import { checkOutcome, isNot, numericRange, reportOutcome, target } from './outcome.js';
import type { MatcherContext, MatcherOutcome } from './types.js';

export async function toHaveSurvivalWithin(this: MatcherContext | void, received: unknown, min: number, max: number): Promise<MatcherOutcome> {
  const call = { matcher: 'toHaveSurvivalWithin', args: [min, max] };
  const range = numericRange(call, min, max);
  return checkOutcome(await survival(target(received, call), range), call, isNot(this));
}

export async function toHaveFcrWithin(
  this: MatcherContext | void,
  received: unknown,
  min: number = DEFAULT_FCR.min,
  max: number = DEFAULT_FCR.max,
  options: Pick<FcrOptions, 'minStageOrder' | 'eggWeightG'> = {},
): Promise<MatcherOutcome> {
  const call = { matcher: 'toHaveFcrWithin', args: [min, max] };
  const range = numericRange(call, min, max);
  return checkOutcome(await fcr(target(received, call), { ...options, ...range }), call, isNot(this));
}

export async function toHavePopulationAtDay(
  this: MatcherContext | void,
  received: unknown,
  day: number,
  range: { min?: number; max?: number; doubledAbove?: number } = {},
): Promise<MatcherOutcome> {
  const call = { matcher: 'toHavePopulationAtDay', args: Object.keys(range).length > 0 ? [day, range] : [day] };
  const farm = target(received, call);
  return checkOutcome(await populationAtDay(farm, { day, ...range }), call, isNot(this));
}

export async function toHaveFullEnvironmentalLinkage(this: MatcherContext | void, received: unknown): Promise<MatcherOutcome> {
  const call = { matcher: 'toHaveFullEnvironmentalLinkage', args: [] };
  return checkOutcome(await environmentalLinkage(target(received, call)), call, isNot(this));
}

export async function toHaveNoContainerConflicts(this: MatcherContext | void, received: unknown): Promise<MatcherOutcome> {
  const call = { matcher: 'toHaveNoContainerConflicts', args: [] };
  return checkOutcome(await containerConflicts(target(received, call)), call, isNot(this));
}

export async function toHaveHarvestWeightsWithin(this: MatcherContext | void, received: unknown, minKg: number, maxKg: number): Promise<MatcherOutcome> {
  const call = { matcher: 'toHaveHarvestWeightsWithin', args: [minKg, maxKg] };
  const range = numericRange(call, minKg, maxKg);
  return checkOutcome(await harvestWeight(target(received, call), range), call, isNot(this));
}

export async function toHaveAllStages(this: MatcherContext | void, received: unknown): Promise<MatcherOutcome> {
  const call = { matcher: 'toHaveAllStages', args: [] };
  return checkOutcome(await stageCoverage(target(received, call)), call, isNot(this));
}

export async function toHaveNonNegativeFeedStock(this: MatcherContext | void, received: unknown): Promise<MatcherOutcome> {
  const call = { matcher: 'toHaveNonNegativeFeedStock', args: [] };
  return checkOutcome(await feedStock(target(received, call)), call, isNot(this));
}

export async function toHaveUtilizationWithin(
  this: MatcherContext | void,
  received: unknown,
  min: number,
  max: number,
  options: Pick<UtilizationOptions, 'asOf' | 'geography' | 'water'> = {},
): Promise<MatcherOutcome> {
  const call = { matcher: 'toHaveUtilizationWithin', args: Object.keys(options).length > 0 ? [min, max, options] : [min, max] };
  const range = numericRange(call, min, max);
  return checkOutcome(await utilization(target(received, call), { ...options, ...range }), call, isNot(this));
}

export async function toMatchPresetVolumes(this: MatcherContext | void, received: unknown): Promise<MatcherOutcome> {
  const call = { matcher: 'toMatchPresetVolumes', args: [] };
  return checkOutcome(await presetVolumes(target(received, call)), call, isNot(this));
}

export async function toPassAllChecks(this: MatcherContext | void, received: unknown, options: VerifyOptions = {}): Promise<MatcherOutcome> {
  const call = { matcher: 'toPassAllChecks', args: Object.keys(options).length > 0 ? [options] : [] };
  return reportOutcome(await verifyFarm(target(received, call), options), call, isNot(this));
}

