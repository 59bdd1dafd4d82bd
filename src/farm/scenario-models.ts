/**
 * The shared models of AquaMind's scenario app: scenario_temperatureprofile and
 * scenario_temperaturereading, scenario_tgcmodel, scenario_fcrmodel and scenario_fcrmodelstage,
 * scenario_mortalitymodel, scenario_biological_constraints and scenario_stage_constraint. AquaMind's
 * engine get-or-created most of them with the first batch; the farm writes them up front.
 *
 * ID order: profiles and TGC models per geography (Faroe Islands, Scotland); readings profile by
 * profile, day 1..450; FCR stages and stage constraints by stage order.
 */
import { round2 } from '../core/numbers.js';
import { Rng } from '../core/rng.js';
import type { RowSink } from '../rows/sink.js';
import type { FarmModel, Geography, Stage } from '../core/model.js';
import type { GeographyName } from '../core/layout.js';
import { auditStamp } from '../rows/audit.js';
import { lookup, required } from './catalog.js';

interface ProfileSpec {
  geography: GeographyName;
  name: string;
  /** °C: mean + amplitude · sin(2π (i − phaseDays) / 365) + U(−noise, noise), clamped to [6, 14]. */
  mean: number;
  amplitude: number;
  phaseDays: number;
  noise: number;
  tgcValue: number;
}

const PROFILES: readonly ProfileSpec[] = [
  { geography: 'Faroe Islands', name: 'Faroe Islands Sea Temperature', mean: 9.5, amplitude: 1.0, phaseDays: 0, noise: 0.3, tgcValue: 0.00245 },
  { geography: 'Scotland', name: 'Scotland Sea Temperature', mean: 10.0, amplitude: 3.0, phaseDays: 90, noise: 0.5, tgcValue: 0.00235 },
];

const PROFILE_DAYS = 450;
const MIN_SEA_TEMPERATURE_C = 6;
const MAX_SEA_TEMPERATURE_C = 14;
const TGC_EXPONENT_N = 0.33;
const TGC_EXPONENT_M = 0.66;
const TGC_RELEASE_PERIOD = 'Year-round';

const FCR_MODEL_NAME = 'Standard Atlantic Salmon FCR';
/** (FCR, duration days) by stage order; the projection times stage changes from these durations. */
const FCR_STAGES: readonly { order: Stage['order']; fcr: number; durationDays: number }[] = [
  { order: 1, fcr: 0.0, durationDays: 90 },
  { order: 2, fcr: 1.0, durationDays: 90 },
  { order: 3, fcr: 1.1, durationDays: 90 },
  { order: 4, fcr: 1.0, durationDays: 90 },
  { order: 5, fcr: 1.1, durationDays: 90 },
  { order: 6, fcr: 1.2, durationDays: 450 },
];

/** The rate is in percent per day (0.03 % = 0.0003 as a fraction), as AquaMind's model reads it. */
const MORTALITY_MODEL = { name: 'Standard Mortality', frequency: 'daily', rate: 0.03 } as const;

const BIOLOGICAL_CONSTRAINTS = {
  name: 'Bakkafrost Standard',
  description: 'Standard biological constraints for Bakkafrost operations',
};

type StageCode = 'egg' | 'alevin' | 'fry' | 'parr' | 'smolt' | 'post_smolt' | 'harvest';

/**
 * StageConstraint keys stages by code, not by LifeCycleStage: the combined Egg&Alevin stage takes
 * `egg`, the Adult grow-out `harvest` (AquaMind's own tests use that code for grow-out).
 */
const STAGE_CONSTRAINTS: readonly { order: Stage['order']; code: StageCode; minDays: number; maxDays: number }[] = [
  { order: 1, code: 'egg', minDays: 60, maxDays: 100 },
  { order: 2, code: 'fry', minDays: 70, maxDays: 110 },
  { order: 3, code: 'parr', minDays: 70, maxDays: 110 },
  { order: 4, code: 'smolt', minDays: 70, maxDays: 110 },
  { order: 5, code: 'post_smolt', minDays: 70, maxDays: 110 },
  { order: 6, code: 'harvest', minDays: 400, maxDays: 600 },
];

export type ScenarioModels = FarmModel['scenarioModels'];

function profileSpec(geography: GeographyName): ProfileSpec {
  return lookup(PROFILES, (p) => p.geography === geography, `temperature profile of ${geography}`);
}

/**
 * A geography's 450-day sea temperature profile. AquaMind's noise was unseeded; here it comes from
 * the farm seed, and values are rounded to 0.01 °C so they print the same everywhere.
 */
export function seaTemperatures(seed: string, geography: GeographyName): number[] {
  const spec = profileSpec(geography);
  const rng = new Rng(seed, 'temperature-profile', geography);
  return Array.from({ length: PROFILE_DAYS }, (_, i) => {
    const seasonal = spec.amplitude * Math.sin((2 * Math.PI * (i - spec.phaseDays)) / 365);
    const value = spec.mean + seasonal + rng.uniform(-spec.noise, spec.noise);
    const clamped = Math.min(MAX_SEA_TEMPERATURE_C, Math.max(MIN_SEA_TEMPERATURE_C, value));
    return round2(clamped);
  });
}

export function buildScenarioModels(seed: string, geographies: readonly Geography[]): ScenarioModels {
  const byGeography = <T>(value: (geography: Geography, index: number) => T): Map<number, T> =>
    new Map(geographies.map((g, index) => [g.id, value(g, index)]));
  return {
    tgcModelIdByGeography: byGeography((_, index) => index + 1),
    fcrModelId: 1,
    mortalityModelId: 1,
    temperatureProfileIdByGeography: byGeography((_, index) => index + 1),
    temperatureProfileNameByGeography: byGeography((g) => profileSpec(g.name).name),
    tgcValueByGeography: byGeography((g) => profileSpec(g.name).tgcValue),
    temperaturesByGeography: byGeography((g) => seaTemperatures(seed, g.name)),
    fcrStages: FCR_STAGES.map((s) => ({ fcr: s.fcr, durationDays: s.durationDays })),
    mortalityRatePerDay: MORTALITY_MODEL.rate / 100,
  };
}

/** scenario_temperatureprofile and scenario_temperaturereading */
export function emitTemperatureProfiles(farm: FarmModel, sink: RowSink): void {
  const stamp = auditStamp(farm.establishedOn);
  const models = farm.scenarioModels;
  for (const geography of farm.geographies) {
    const profileId = required(models.temperatureProfileIdByGeography, geography.id, `profile of ${geography.name}`);
    sink.emit('scenario_temperatureprofile', { profile_id: profileId, name: profileSpec(geography.name).name, ...stamp });
  }
  let readingId = 0;
  for (const geography of farm.geographies) {
    const profileId = required(models.temperatureProfileIdByGeography, geography.id, `profile of ${geography.name}`);
    const temperatures = required(models.temperaturesByGeography, geography.id, `temperatures of ${geography.name}`);
    temperatures.forEach((temperature, index) => {
      sink.emit('scenario_temperaturereading', { reading_id: ++readingId, temperature, ...stamp, profile_id: profileId, day_number: index + 1 });
    });
  }
}

/** scenario_tgcmodel */
export function emitTgcModels(farm: FarmModel, sink: RowSink): void {
  const stamp = auditStamp(farm.establishedOn);
  const models = farm.scenarioModels;
  for (const geography of farm.geographies) {
    sink.emit('scenario_tgcmodel', {
      model_id: required(models.tgcModelIdByGeography, geography.id, `TGC model of ${geography.name}`),
      name: `${geography.name} Standard TGC`,
      location: geography.name,
      release_period: TGC_RELEASE_PERIOD,
      tgc_value: profileSpec(geography.name).tgcValue,
      exponent_n: TGC_EXPONENT_N,
      exponent_m: TGC_EXPONENT_M,
      ...stamp,
      profile_id: required(models.temperatureProfileIdByGeography, geography.id, `profile of ${geography.name}`),
    });
  }
}

/** scenario_fcrmodel and scenario_fcrmodelstage */
export function emitFcrModel(farm: FarmModel, sink: RowSink): void {
  const stamp = auditStamp(farm.establishedOn);
  const modelId = farm.scenarioModels.fcrModelId;
  sink.emit('scenario_fcrmodel', { model_id: modelId, name: FCR_MODEL_NAME, ...stamp });
  FCR_STAGES.forEach((spec, index) => {
    sink.emit('scenario_fcrmodelstage', {
      id: index + 1,
      fcr_value: spec.fcr,
      duration_days: spec.durationDays,
      ...stamp,
      model_id: modelId,
      stage_id: stageByOrder(farm, spec.order).id,
    });
  });
}

/** scenario_mortalitymodel */
export function emitMortalityModel(farm: FarmModel, sink: RowSink): void {
  sink.emit('scenario_mortalitymodel', {
    model_id: farm.scenarioModels.mortalityModelId,
    name: MORTALITY_MODEL.name,
    frequency: MORTALITY_MODEL.frequency,
    rate: MORTALITY_MODEL.rate,
    ...auditStamp(farm.establishedOn),
  });
}

/** scenario_biological_constraints and scenario_stage_constraint */
export function emitBiologicalConstraints(farm: FarmModel, sink: RowSink): void {
  const constraintSetId = 1;
  sink.emit('scenario_biological_constraints', {
    id: constraintSetId,
    name: BIOLOGICAL_CONSTRAINTS.name,
    description: BIOLOGICAL_CONSTRAINTS.description,
    is_active: true,
    ...auditStamp(farm.establishedOn),
    // The model requires it (null=True without blank=True); the master-data scripts ran as system_admin.
    created_by_id: farm.users.systemAdminId,
  });
  STAGE_CONSTRAINTS.forEach((spec, index) => {
    const stage = stageByOrder(farm, spec.order);
    sink.emit('scenario_stage_constraint', {
      id: index + 1,
      lifecycle_stage: spec.code,
      min_weight_g: stage.expectedWeightMinG,
      max_weight_g: stage.expectedWeightMaxG,
      min_temperature_c: null,
      max_temperature_c: null,
      typical_duration_days: Math.floor((spec.minDays + spec.maxDays) / 2),
      // Only freshwater stages have a freshwater weight limit.
      max_freshwater_weight_g: spec.order === 6 ? null : stage.expectedWeightMaxG,
      constraint_set_id: constraintSetId,
    });
  });
}

function stageByOrder(farm: FarmModel, order: Stage['order']): Stage {
  return lookup(farm.stages, (s) => s.order === order, `stage order ${order}`);
}
