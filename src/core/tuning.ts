/**
 * The generator's biological and operational knobs in one place. Each value is chosen to meet
 * the documented quality criteria (docs/fidelity.md gives the reasoning and the measured
 * outcome); the AquaMind values they replace are noted where they differ. They stay here, not in
 * core/domain.ts, because only the engine and the planner's replay of it read them: the checks
 * (src/verify) judge the rows against the domain's facts and their own expectations, never
 * against the generator's settings.
 */
import type { GeographyName } from './layout.js';
import type { StageOrder } from './stages.js';

export type FreshwaterOrder = 1 | 2 | 3 | 4 | 5;

/** Weight of a placed egg and of an alevin until first feeding (AquaMind: 0.1 g, no growth in stage 1). */
export const EGG_WEIGHT_G = 0.1;

/** Thermal growth coefficients per stage: AquaMind's `populate_stage_tgc` values divided by 1000. */
export const STAGE_TGC: Readonly<Record<StageOrder, number>> = {
  1: 0,
  2: 0.00225,
  3: 0.00275,
  4: 0.00275,
  5: 0.00325,
  6: 0.0031,
};

/**
 * Hatchery water setpoints (°C). With the stage TGCs they carry the fish to ~92 % of each stage's
 * upper weight by the end of its 90 days, so stage transitions, not weight caps, end each stage's
 * growth (AquaMind grew at a fixed 12 °C and sat at the caps for weeks while still feeding).
 */
export const FRESHWATER_SETPOINT_C: Readonly<Record<FreshwaterOrder, number>> = {
  1: 7.0,
  2: 6.4,
  3: 8.2,
  4: 6.8,
  5: 7.8,
};

/** Day-to-day drift around a hatchery setpoint: AR(1) persistence and innovation SD (°C). */
export const FRESHWATER_DRIFT = { persistence: 0.7, innovationSd: 0.08 } as const;

/**
 * Sea surface temperature by geography: AquaMind's profile formulas (§2.8) for mean and amplitude,
 * but phased to the calendar (warmest at the end of August) rather than to the batch start.
 */
export const SEA_TEMPERATURE: Readonly<Record<GeographyName, { meanC: number; amplitudeC: number }>> = {
  'Faroe Islands': { meanC: 9.5, amplitudeC: 1.0 },
  Scotland: { meanC: 10.0, amplitudeC: 3.0 },
};
/** Day of the year the sea is warmest. */
export const SEA_PEAK_DAY_OF_YEAR = 240;
/** Weather anomalies at sea last longer and swing wider than in a hatchery. */
export const SEA_DRIFT = { persistence: 0.9, innovationSd: 0.12 } as const;

/**
 * Temperature offset (°C) at each reading hour (06, 08, 10, 14, 16, 18) relative to the daily mean:
 * coolest at dawn, warmest mid-afternoon. Scaled down in tanks, where water is mixed and controlled.
 */
export const DIEL_TEMPERATURE_OFFSET_C: readonly number[] = [-0.2, -0.12, 0, 0.14, 0.2, 0.1];
export const FRESHWATER_DIEL_SCALE = 0.25;

/** Reading hours of the automatic sensors (AquaMind: 06, 08, 10, 14, 16, 18). */
export const READING_TIMES: readonly string[] = ['06:00', '08:00', '10:00', '14:00', '16:00', '18:00'];

/**
 * Daily mortality rates (fraction of the population). Egg&Alevin keeps AquaMind's 0.0015, which
 * lands the first Fry day at ~3.06 M from 3.5 M eggs; the post-hatch rates are lowered from
 * AquaMind's (0.0005 … 0.0001, which gave ~76 % survival) so harvest survival lands in 83-87 %.
 */
export const MORTALITY_RATE: Readonly<Record<StageOrder, number>> = {
  1: 0.0015,
  2: 0.0001,
  3: 0.00005,
  4: 0.00003,
  5: 0.00003,
  6: 0.00004,
};

/** Causes a daily mortality count is recorded under, with their weights (model choices only). */
export const MORTALITY_CAUSES: readonly { cause: 'UNKNOWN' | 'DISEASE' | 'ENVIRONMENTAL' | 'HANDLING' | 'PREDATION'; weight: number }[] = [
  { cause: 'UNKNOWN', weight: 0.6 },
  { cause: 'DISEASE', weight: 0.15 },
  { cause: 'ENVIRONMENTAL', weight: 0.12 },
  { cause: 'HANDLING', weight: 0.08 },
  { cause: 'PREDATION', weight: 0.05 },
];

/**
 * Biological feed conversion per stage (AquaMind's FCRModelStage values). The daily ration is
 * this times the day's potential growth, i.e. a feed table in % of biomass that follows weight
 * and temperature, instead of AquaMind's fixed 3/2.5/2/1.5/1 % that ignored both.
 */
export const FEED_CONVERSION: Readonly<Record<StageOrder, number>> = {
  1: 0,
  2: 1.0,
  3: 1.1,
  4: 1.0,
  5: 1.1,
  6: 1.2,
};

/** Each meal's ration varies by ± this fraction (appetite). */
export const APPETITE_SPREAD = 0.08;

export const MEAL_TIMES = { morning: '08:00', afternoon: '16:00' } as const;

/** Price (per kg) of the automatic re-orders by the stage the feed is for: starter feeds cost more. */
export const FEED_PRICE_PER_KG: Readonly<Record<StageOrder, number>> = {
  1: 0,
  2: 3.1,
  3: 2.8,
  4: 2.45,
  5: 2.25,
  6: 1.95,
};
export const FEED_SUPPLIER = 'BioMar';
export const FEED_SHELF_LIFE_DAYS = 365;
/**
 * A re-order (below REORDER_BELOW_SHARE, core/domain.ts) buys min(capacity − stock, this share of
 * capacity) (AquaMind's rule).
 */
export const REORDER_FILL_SHARE = 0.8;

/** Weekly growth samples: fish per sample, weight CV and condition factor K per stage. */
export const GROWTH_SAMPLE_SIZE = 30;
export const GROWTH_SAMPLE_EVERY_DAYS = 7;
export const WEIGHT_CV: Readonly<Record<StageOrder, number>> = { 1: 0.1, 2: 0.24, 3: 0.22, 4: 0.2, 5: 0.18, 6: 0.16 };
export const CONDITION_FACTOR: Readonly<Record<StageOrder, number>> = { 1: 1, 2: 1.05, 3: 1.1, 4: 1.02, 5: 1.1, 6: 1.25 };
export const CONDITION_FACTOR_SD = 0.06;
export const CONDITION_FACTOR_RANGE = { min: 0.9, max: 1.45 } as const;

/**
 * Harvest grades: share of the fish and weight relative to the average (AquaMind §3.12). The
 * factors are renormalised so a ring's lots weigh what the ring's fish weighed.
 */
export const HARVEST_GRADES: readonly { code: 'SUPERIOR' | 'GRADE_A' | 'GRADE_B' | 'GRADE_C' | 'REJECT'; share: number; weightFactor: number }[] = [
  { code: 'SUPERIOR', share: 0.1, weightFactor: 1.15 },
  { code: 'GRADE_A', share: 0.4, weightFactor: 1.05 },
  { code: 'GRADE_B', share: 0.35, weightFactor: 1.0 },
  { code: 'GRADE_C', share: 0.12, weightFactor: 0.85 },
  { code: 'REJECT', share: 0.03, weightFactor: 0.6 },
];
export const GUTTED_YIELD = 0.85;
export const FILLET_YIELD = 0.55;
/**
 * A well boat empties this many rings a day; the rest keep being fed until their turn (AquaMind
 * harvested every ring on one day).
 */
export const HARVEST_RINGS_PER_DAY = 2;

/**
 * Monthly health sampling (AquaMind §3.9): every 30th batch day from Post-Smolt on, one random
 * active container, 75 fish. Weights ~ N(W, 15 %) within 0.5-1.5 W; lengths follow from weight and
 * a per-fish condition factor as in the growth samples (AquaMind's `(1000·W)^⅓ × 1.5` gave a 1 kg
 * fish 150 cm and K ≈ 0.03). Every fish gets a score for every active health parameter, drawn with
 * AquaMind's "healthy batch" weights 60/30/8/2 % for scores 0/1/2/3.
 */
export const HEALTH_SAMPLING = {
  everyDays: 30,
  fromStageOrder: 5,
  fish: 75,
  weightCv: 0.15,
  weightRange: { min: 0.5, max: 1.5 },
  scoreWeights: [0.6, 0.3, 0.08, 0.02],
} as const;

/** A routine journal observation every 30th batch day from day 0 (AquaMind §3.3 step 12). */
export const JOURNAL_EVERY_DAYS = 30;

/** Vaccinations of every active container on these batch days, rotating vaccine types by name (§3.10). */
export const VACCINATION_DAYS: readonly number[] = [180, 210, 280, 310];
export const VACCINATION = { durationDays: 1, withholdingDays: 21 } as const;

/** Bath lice treatments of every ring on these Adult days (sea transfer = Adult day 0), §3.10. */
export const LICE_TREATMENT_ADULT_DAYS: readonly number[] = [150, 270];
export const LICE_TREATMENT = { durationDays: 7, withholdingDays: 42, dosage: 'Bath treatment - standard concentration' } as const;

/**
 * Weekly lice counts at sea (§3.8): 20 fish per ring every 7th batch day in Adult. The untreated
 * load per fish is AquaMind's `0.3 + U·1.7·pressure`, pressure rising with time at sea (0.5 before
 * Adult day 90, 1.0 before 180, 1.8 before 360, then 2.5). A bath treatment removes `efficacy` of
 * the lice and the ring re-infests with time constant `reinfestationDays`, so counts drop after a
 * treatment and climb back over the following weeks (AquaMind's treatments changed nothing).
 * The count splits into adult females 35 %, adult males 25 %, chalimus 30 % and pre-adults 10 %
 * (L. salmonis); in 15 % of counts a few Caligus elongatus are found as well.
 */
export const LICE = {
  everyDays: 7,
  fishSampled: 20,
  pressureSteps: [
    { beforeAdultDay: 90, pressure: 0.5 },
    { beforeAdultDay: 180, pressure: 1.0 },
    { beforeAdultDay: 360, pressure: 1.8 },
    { beforeAdultDay: Number.POSITIVE_INFINITY, pressure: 2.5 },
  ],
  baseLoad: 0.3,
  loadSpread: 1.7,
  treatmentEfficacy: 0.9,
  reinfestationDays: 45,
  split: [
    { gender: 'female', stage: 'adult', share: 0.35 },
    { gender: 'male', stage: 'adult', share: 0.25 },
    { gender: 'female', stage: 'chalimus', share: 0.3 },
    { gender: 'female', stage: 'pre-adult', share: 0.1 },
  ],
  caligusProbability: 0.15,
  caligusMaxShare: 0.2,
  detection: [
    { method: 'manual', weight: 0.7, confidence: 0.95 },
    { method: 'visual', weight: 0.2, confidence: 0.75 },
    { method: 'automated', weight: 0.05, confidence: 0.98 },
    { method: 'camera', weight: 0.05, confidence: 0.9 },
  ],
} as const;

/**
 * The baseline scenario projection made at egg placement (§3.11): 900 days from the eggs with the
 * farm's scenario models (the geography's TGC model value, the FCR model's stage FCRs and
 * durations, the mortality model's 0.03 %/day). Freshwater stages grow at AquaMind's assumed
 * 12 °C up to each stage's upper weight; Adult days read the geography's sea temperature profile.
 */
export const SCENARIO = { durationDays: 900, freshwaterTemperatureC: 12, initialWeightG: EGG_WEIGHT_G } as const;

/**
 * Live forward projections of ACTIVE batches (AquaMind's run_live_projections): from asOf, per
 * active container, day by day with the engine's own stage TGCs and expected temperatures shifted
 * by the bias of the last 14 days' readings (clamped to ±2 °C), until the harvest target weight or
 * the plan's last Adult day.
 */
export const LIVE_PROJECTION = { biasWindowDays: 14, biasClampC: 2 } as const;

/**
 * Incidents (schedule `incidents:`, docs/incidents.md): their defaults and the shape of what they
 * write. An outbreak's lice load is 1.3-2.0 × the treatment threshold in adult females per fish;
 * oxygen drops and temperature spikes log hourly while out of range; a disease investigation's
 * fish score mostly 2-3 ("Poor", "Critical"); a feed shortage is bridged by part-loads of 10 % of
 * the feed container's capacity, never enough to reach the re-order level again.
 */
export const INCIDENT = {
  lice: { loadFactor: { min: 1.3, max: 2.0 } },
  sensor: { defaultFrom: '10:00', defaultHours: 4, defaultMinOxygenPercent: 60, defaultExcessC: 3 },
  mortality: { defaultShare: 0.05, maxShare: 0.9 },
  disease: { defaultName: 'Pancreas disease', scoreWeights: [0.05, 0.15, 0.45, 0.35] },
  feedShortage: { partLoadShare: 0.1 },
} as const;
