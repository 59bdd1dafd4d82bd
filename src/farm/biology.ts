/**
 * The fish and what surrounds it: batch_species, batch_lifecyclestage, environmental_environmentalparameter
 * and inventory_feed. These are the PRE rows of AquaMind's deleted `02_initialize_master_data.py`,
 * with the stage weight ranges of `01_initialize_scenario_master_data.py` and the stage durations of
 * migration batch/0029.
 *
 * ID order: the species; stages by order 1..6; parameters Dissolved Oxygen, CO2, pH, Temperature,
 * NO2, NO3, NH4 (the original's creation order); feeds 0.5, 1.0, 2.0, 3.0, 4.5, 6.0 mm.
 */
import type { RowSink } from '../rows/sink.js';
import type { EnvironmentalParameter, FarmModel, Feed, Stage } from '../core/model.js';
import { auditStamp } from '../rows/audit.js';
import { lookup } from './catalog.js';
import { STAGES } from '../core/stages.js';

const SPECIES = {
  name: 'Atlantic Salmon',
  scientificName: 'Salmo salar',
  description: 'Atlantic salmon farmed from egg to harvest in freshwater stations and sea rings',
};

interface ParameterSpec {
  name: string;
  unit: string;
  /** Centre of AquaMind's generated readings (`gen_env_value`). */
  base: number;
  /** The documented safe range, as AquaMind's "minimum/maximum acceptable value". */
  minValue: number;
  maxValue: number;
  description: string;
}

const PARAMETERS: readonly ParameterSpec[] = [
  { name: 'Dissolved Oxygen', unit: '%', base: 90, minValue: 80, maxValue: 100, description: 'Dissolved oxygen saturation (safe 80-100 %, critical below 30 %)' },
  { name: 'CO2', unit: 'mg/L', base: 8, minValue: 0, maxValue: 15, description: 'Carbon dioxide (safe below 15 mg/L, critical above 25 mg/L)' },
  { name: 'pH', unit: 'pH', base: 7.2, minValue: 6.5, maxValue: 8.5, description: 'Acidity (safe 6.5-8.5, critical below 6.0 or above 9.0)' },
  { name: 'Temperature', unit: '°C', base: 12, minValue: 4, maxValue: 18, description: 'Water temperature (freshwater 4-16 °C, seawater 6-18 °C)' },
  { name: 'NO2', unit: 'mg/L', base: 0.05, minValue: 0, maxValue: 0.1, description: 'Nitrite (safe below 0.1 mg/L, critical above 0.5 mg/L)' },
  { name: 'NO3', unit: 'mg/L', base: 20, minValue: 0, maxValue: 50, description: 'Nitrate (safe below 50 mg/L, critical above 100 mg/L)' },
  { name: 'NH4', unit: 'mg/L', base: 0.01, minValue: 0, maxValue: 0.02, description: 'Total ammonia (safe below 0.02 mg/L, critical above 0.1 mg/L)' },
];

interface FeedSpec {
  name: string;
  sizeCategory: 'MICRO' | 'SMALL' | 'MEDIUM' | 'LARGE';
  pelletSizeMm: number;
  proteinPercentage: number;
  fatPercentage: number;
  carbohydratePercentage: number;
  /** The stage AquaMind's engine feeds it to; the 6.0 mm finisher is stocked but never fed. */
  stageOrder: Feed['stageOrder'];
  description: string;
}

const FEED_BRAND = 'BioMar';

const FEEDS: readonly FeedSpec[] = [
  { name: 'Starter Feed 0.5mm', sizeCategory: 'MICRO', pelletSizeMm: 0.5, proteinPercentage: 50, fatPercentage: 18, carbohydratePercentage: 20, stageOrder: 2, description: 'Fry stage feed' },
  { name: 'Starter Feed 1.0mm', sizeCategory: 'SMALL', pelletSizeMm: 1.0, proteinPercentage: 48, fatPercentage: 18, carbohydratePercentage: 22, stageOrder: 3, description: 'Parr stage feed' },
  { name: 'Grower Feed 2.0mm', sizeCategory: 'MEDIUM', pelletSizeMm: 2.0, proteinPercentage: 45, fatPercentage: 20, carbohydratePercentage: 23, stageOrder: 4, description: 'Smolt stage feed' },
  { name: 'Grower Feed 3.0mm', sizeCategory: 'MEDIUM', pelletSizeMm: 3.0, proteinPercentage: 43, fatPercentage: 22, carbohydratePercentage: 23, stageOrder: 5, description: 'Post-Smolt stage feed' },
  { name: 'Finisher Feed 4.5mm', sizeCategory: 'LARGE', pelletSizeMm: 4.5, proteinPercentage: 40, fatPercentage: 24, carbohydratePercentage: 24, stageOrder: 6, description: 'Adult stage feed (early)' },
  { name: 'Finisher Feed 6.0mm', sizeCategory: 'LARGE', pelletSizeMm: 6.0, proteinPercentage: 38, fatPercentage: 26, carbohydratePercentage: 24, stageOrder: null, description: 'Adult stage feed (late)' },
];

export interface Biology {
  speciesId: number;
  stages: Stage[];
  parameters: EnvironmentalParameter[];
  feeds: Feed[];
}

export function buildBiology(): Biology {
  return {
    speciesId: 1,
    stages: STAGES.map((s, index) => ({
      id: index + 1,
      order: s.order,
      name: s.name,
      expectedWeightMinG: s.expectedWeightMinG,
      expectedWeightMaxG: s.expectedWeightMaxG,
    })),
    parameters: PARAMETERS.map((p, index) => ({ id: index + 1, name: p.name, unit: p.unit, base: p.base })),
    feeds: FEEDS.map((f, index) => ({ id: index + 1, name: f.name, stageOrder: f.stageOrder })),
  };
}

/** batch_species */
export function emitSpecies(farm: FarmModel, sink: RowSink): void {
  sink.emit('batch_species', {
    id: farm.speciesId,
    name: SPECIES.name,
    scientific_name: SPECIES.scientificName,
    description: SPECIES.description,
    optimal_temperature_min: null,
    optimal_temperature_max: null,
    optimal_oxygen_min: null,
    optimal_ph_min: null,
    optimal_ph_max: null,
    ...auditStamp(farm.establishedOn),
  });
}

/** batch_lifecyclestage */
export function emitStages(farm: FarmModel, sink: RowSink): void {
  const stamp = auditStamp(farm.establishedOn);
  for (const stage of farm.stages) {
    const spec = lookup(STAGES, (s) => s.order === stage.order, `stage order ${stage.order}`);
    sink.emit('batch_lifecyclestage', {
      id: stage.id,
      name: stage.name,
      order: stage.order,
      description: spec.description,
      expected_weight_min_g: stage.expectedWeightMinG,
      expected_weight_max_g: stage.expectedWeightMaxG,
      expected_length_min_cm: null,
      expected_length_max_cm: null,
      ...stamp,
      species_id: farm.speciesId,
      typical_duration_days: spec.typicalDurationDays,
    });
  }
}

/** environmental_environmentalparameter */
export function emitParameters(farm: FarmModel, sink: RowSink): void {
  const stamp = auditStamp(farm.establishedOn);
  for (const parameter of farm.parameters) {
    const spec = lookup(PARAMETERS, (p) => p.name === parameter.name, `parameter ${parameter.name}`);
    sink.emit('environmental_environmentalparameter', {
      id: parameter.id,
      name: parameter.name,
      unit: parameter.unit,
      description: spec.description,
      min_value: spec.minValue,
      max_value: spec.maxValue,
      optimal_min: null,
      optimal_max: null,
      ...stamp,
    });
  }
}

/** inventory_feed */
export function emitFeeds(farm: FarmModel, sink: RowSink): void {
  const stamp = auditStamp(farm.establishedOn);
  for (const feed of farm.feeds) {
    const spec = lookup(FEEDS, (f) => f.name === feed.name, `feed ${feed.name}`);
    sink.emit('inventory_feed', {
      id: feed.id,
      name: feed.name,
      brand: FEED_BRAND,
      size_category: spec.sizeCategory,
      pellet_size_mm: spec.pelletSizeMm,
      protein_percentage: spec.proteinPercentage,
      fat_percentage: spec.fatPercentage,
      carbohydrate_percentage: spec.carbohydratePercentage,
      description: spec.description,
      is_active: true,
      ...stamp,
    });
  }
}
