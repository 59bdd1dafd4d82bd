/**
 * Builds the farm model: every master-data entity with its deterministic ID, as the engine needs it.
 * Pure: the same options give a deep-equal farm. The seed only drives the sea temperature noise.
 */
import { dayNumber } from '../core/time.js';
import { buildBiology } from './biology.js';
import { buildContentTypes } from './content-types.js';
import { buildEggSuppliers } from './egg-suppliers.js';
import { buildFinance } from './finance.js';
import { buildHealth } from './health.js';
import { buildInfrastructure } from './infrastructure.js';
import { buildActivityTemplates } from './planning.js';
import type { FarmModel } from '../core/model.js';
import { buildProductGrades } from './product-grades.js';
import { buildScenarioModels } from './scenario-models.js';
import { withSensors } from './sensors.js';
import { buildUsers } from './users.js';

export interface FarmOptions {
  /** The schedule seed. */
  seed: string;
  /** `YYYY-MM-DD`: the simulated date master data is created and the opening feed stock bought. */
  establishedOn: string;
  /** The farm users' password (the schedule's adminPassword; default AquaMind's `admin123`). */
  adminPassword?: string | undefined;
}

export function buildFarm(options: FarmOptions): FarmModel {
  dayNumber(options.establishedOn);
  const infrastructure = buildInfrastructure();
  const biology = buildBiology();
  const health = buildHealth();
  const containers = withSensors(infrastructure.containers, biology.parameters);
  const productGrades = buildProductGrades();
  return {
    speciesId: biology.speciesId,
    geographies: infrastructure.geographies,
    stages: biology.stages,
    stations: infrastructure.stations,
    halls: infrastructure.halls,
    areas: infrastructure.areas,
    containers: new Map(containers.map((c) => [c.id, c])),
    containerIdByName: new Map(containers.map((c) => [c.name, c.id])),
    feedContainers: new Map(infrastructure.feedContainers.map((f) => [f.id, f])),
    parameters: biology.parameters,
    feeds: biology.feeds,
    healthParameterIds: health.healthParameterIds,
    liceTypes: health.liceTypes,
    vaccinationTypeIds: health.vaccinationTypeIds,
    vaccinationTypes: health.vaccinationTypes,
    activityTemplates: buildActivityTemplates(),
    contentTypeIds: buildContentTypes(),
    productGrades,
    mortalityReasonIds: health.mortalityReasonIds,
    users: buildUsers(options.seed, options.adminPassword),
    eggSupplierIdByGeography: buildEggSuppliers(infrastructure.geographies),
    scenarioModels: buildScenarioModels(options.seed, infrastructure.geographies),
    finance: buildFinance(infrastructure.geographies, infrastructure.stations, infrastructure.areas, productGrades),
    establishedOn: options.establishedOn,
  };
}
