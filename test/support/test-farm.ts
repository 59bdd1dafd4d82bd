/**
 * A small deterministic farm and single-batch schedule for the engine's unit tests: one Faroe
 * station (halls A-E, 10 containers and a silo each) and one sea area (20 rings, 3 barges), with
 * the sensors, parameters, feeds and grades the engine reads. Independent of buildFarm.
 */
import type {
  Area,
  Container,
  EnvironmentalParameter,
  FarmModel,
  Feed,
  FeedContainer,
  Hall,
  ProductGrade,
  Stage,
} from '../../src/core/model.js';
import type { BatchPlan, FreshwaterStageKey, Schedule } from '../../src/schedule/types.js';
import { buildActivityTemplates } from '../../src/farm/planning.js';

const STATION = 'FI-FW-01';
const AREA = 'FI-SEA-01';
const LETTERS = ['A', 'B', 'C', 'D', 'E'] as const;
const STAGE_KEYS: readonly FreshwaterStageKey[] = ['egg_alevin', 'fry', 'parr', 'smolt', 'post_smolt'];
const HALL_SPECS = [
  { volumeM3: 10, siloKg: 5_000 },
  { volumeM3: 100, siloKg: 10_000 },
  { volumeM3: 500, siloKg: 15_000 },
  { volumeM3: 1_000, siloKg: 20_000 },
  { volumeM3: 2_000, siloKg: 30_000 },
] as const;
const RINGS = 20;
const BARGES = 3;
/** Parameters carried by sea-ring sensors (no Salinity parameter exists). */
const SEA_PARAMETERS = ['Temperature', 'Dissolved Oxygen', 'pH'];

const STAGES: Stage[] = [
  { id: 1, order: 1, name: 'Egg&Alevin', expectedWeightMinG: 0.05, expectedWeightMaxG: 0.5 },
  { id: 2, order: 2, name: 'Fry', expectedWeightMinG: 0.5, expectedWeightMaxG: 6 },
  { id: 3, order: 3, name: 'Parr', expectedWeightMinG: 6, expectedWeightMaxG: 60 },
  { id: 4, order: 4, name: 'Smolt', expectedWeightMinG: 60, expectedWeightMaxG: 180 },
  { id: 5, order: 5, name: 'Post-Smolt', expectedWeightMinG: 180, expectedWeightMaxG: 500 },
  { id: 6, order: 6, name: 'Adult', expectedWeightMinG: 500, expectedWeightMaxG: 7000 },
];

const PARAMETERS: EnvironmentalParameter[] = [
  { id: 1, name: 'Dissolved Oxygen', unit: '%', base: 90 },
  { id: 2, name: 'CO2', unit: 'mg/L', base: 8 },
  { id: 3, name: 'pH', unit: 'pH', base: 7.2 },
  { id: 4, name: 'Temperature', unit: '°C', base: 12 },
  { id: 5, name: 'NO2', unit: 'mg/L', base: 0.05 },
  { id: 6, name: 'NO3', unit: 'mg/L', base: 20 },
  { id: 7, name: 'NH4', unit: 'mg/L', base: 0.01 },
];

const FEEDS: Feed[] = [
  { id: 1, name: 'Starter Feed 0.5mm', stageOrder: 2 },
  { id: 2, name: 'Starter Feed 1.0mm', stageOrder: 3 },
  { id: 3, name: 'Grower Feed 2.0mm', stageOrder: 4 },
  { id: 4, name: 'Grower Feed 3.0mm', stageOrder: 5 },
  { id: 5, name: 'Finisher Feed 4.5mm', stageOrder: 6 },
  { id: 6, name: 'Finisher Feed 6.0mm', stageOrder: null },
];

const GRADES: ProductGrade[] = [
  { id: 1, code: 'SUPERIOR' },
  { id: 2, code: 'GRADE_A' },
  { id: 3, code: 'GRADE_B' },
  { id: 4, code: 'GRADE_C' },
  { id: 5, code: 'REJECT' },
];

/** health_licetype in migration 0021's order (ids 1..15). */
const LICE_TYPES: FarmModel['liceTypes'] = [
  ...['female', 'male'].flatMap((gender) =>
    ['copepodid', 'chalimus', 'pre-adult', 'adult'].map((developmentStage) => ({ species: 'Lepeophtheirus salmonis', gender, developmentStage })),
  ),
  ...['female', 'male'].flatMap((gender) => ['juvenile', 'adult'].map((developmentStage) => ({ species: 'Caligus elongatus', gender, developmentStage }))),
  { species: 'Unknown', gender: 'unknown', developmentStage: 'juvenile' },
  { species: 'Unknown', gender: 'female', developmentStage: 'adult' },
  { species: 'Unknown', gender: 'male', developmentStage: 'adult' },
].map((lice, index) => ({ id: index + 1, ...lice }));

export function testContainerName(stageIndex: number, n: number): string {
  return `${STATION}-${LETTERS[stageIndex]}-C${String(n).padStart(2, '0')}`;
}

export function testRingName(n: number): string {
  return `${AREA}-Ring-${String(n).padStart(2, '0')}`;
}

export function buildTestFarm(): FarmModel {
  let containerId = 0;
  let sensorId = 0;
  const containers: Container[] = [];
  const feedContainers: FeedContainer[] = [];
  const halls: Hall[] = [];

  const sensorsFor = (names: readonly string[]) =>
    PARAMETERS.filter((p) => names.includes(p.name)).map((p) => ({ sensorId: ++sensorId, parameterId: p.id }));

  LETTERS.forEach((letter, s) => {
    const hallId = s + 1;
    const spec = HALL_SPECS[s]!;
    const silo: FeedContainer = {
      id: feedContainers.length + 1,
      name: `${STATION}-${letter}-Silo`,
      kind: 'SILO',
      capacityKg: spec.siloKg,
      hallId,
      areaId: null,
    };
    feedContainers.push(silo);
    const ids: number[] = [];
    for (let n = 1; n <= 10; n++) {
      const container: Container = {
        id: ++containerId,
        name: testContainerName(s, n),
        hallId,
        areaId: null,
        role: 'HOLDING',
        volumeM3: spec.volumeM3,
        maxBiomassKg: spec.volumeM3 * 50,
        sensors: sensorsFor(PARAMETERS.map((p) => p.name)),
      };
      containers.push(container);
      ids.push(container.id);
    }
    halls.push({
      id: hallId,
      name: `${STATION}-Hall-${letter}`,
      stationId: 1,
      letter,
      stageOrder: (s + 1) as Hall['stageOrder'],
      feedContainerIds: [silo.id],
      containerIds: ids,
    });
  });

  const bargeIds: number[] = [];
  for (let b = 1; b <= BARGES; b++) {
    const barge: FeedContainer = {
      id: feedContainers.length + 1,
      name: `${AREA}-Barge-${b}`,
      kind: 'BARGE',
      capacityKg: 50_000,
      hallId: null,
      areaId: 1,
    };
    feedContainers.push(barge);
    bargeIds.push(barge.id);
  }
  const ringIds: number[] = [];
  for (let r = 1; r <= RINGS; r++) {
    const ring: Container = {
      id: ++containerId,
      name: testRingName(r),
      hallId: null,
      areaId: 1,
      role: 'HOLDING',
      volumeM3: 50_000,
      maxBiomassKg: 500_000,
      sensors: sensorsFor(SEA_PARAMETERS),
    };
    containers.push(ring);
    ringIds.push(ring.id);
  }
  const areas: Area[] = [{ id: 1, name: AREA, geographyId: 1, feedContainerIds: bargeIds, containerIds: ringIds }];

  return {
    speciesId: 1,
    geographies: [
      { id: 1, name: 'Faroe Islands', code: 'FAR' },
      { id: 2, name: 'Scotland', code: 'SCO' },
    ],
    stages: STAGES,
    stations: [{ id: 1, name: STATION, geographyId: 1 }],
    halls,
    areas,
    containers: new Map(containers.map((c) => [c.id, c])),
    containerIdByName: new Map(containers.map((c) => [c.name, c.id])),
    feedContainers: new Map(feedContainers.map((f) => [f.id, f])),
    parameters: PARAMETERS,
    feeds: FEEDS,
    healthParameterIds: [1, 2, 3, 4, 5, 6, 7, 8, 9],
    liceTypes: LICE_TYPES,
    vaccinationTypeIds: [1, 3, 2],
    vaccinationTypes: [
      { id: 1, name: 'IPN Vaccine', dosage: '0.05 ml' },
      { id: 3, name: 'Multi-component Vaccine', dosage: '0.10 ml' },
      { id: 2, name: 'VHS Vaccine', dosage: '0.05 ml' },
    ],
    activityTemplates: buildActivityTemplates(),
    contentTypeIds: { batchTransferWorkflow: 1, harvestEvent: 2 },
    productGrades: GRADES,
    mortalityReasonIds: [1, 2, 3, 4, 5, 6, 7],
    users: { systemAdminId: 1, adminId: 2, password: 'admin123', passwordSalt: 'testFarmSalt0123456789' },
    eggSupplierIdByGeography: new Map([
      [1, 1],
      [2, 2],
    ]),
    scenarioModels: {
      tgcModelIdByGeography: new Map([
        [1, 1],
        [2, 2],
      ]),
      fcrModelId: 1,
      mortalityModelId: 1,
      temperatureProfileIdByGeography: new Map([
        [1, 1],
        [2, 2],
      ]),
      temperatureProfileNameByGeography: new Map([
        [1, 'Faroe Islands Sea Temperature'],
        [2, 'Scotland Sea Temperature'],
      ]),
      tgcValueByGeography: new Map([
        [1, 0.00245],
        [2, 0.00235],
      ]),
      fcrStages: [0, 1.0, 1.1, 1.0, 1.1, 1.2].map((fcr, i) => ({ fcr, durationDays: i === 5 ? 450 : 90 })),
      mortalityRatePerDay: 0.0003,
      temperaturesByGeography: new Map([
        [1, Array.from({ length: 450 }, () => 9.5)],
        [2, Array.from({ length: 450 }, () => 10)],
      ]),
    },
    finance: {
      companyIds: new Map([
        [1, { FW: 1, FM: 2, LG: 3 }],
        [2, { FW: 4, FM: 5, LG: 6 }],
      ]),
      siteIdByStation: new Map([[1, 1]]),
      siteIdByArea: new Map([[1, 2]]),
      currencyByGeography: new Map([
        [1, 'EUR'],
        [2, 'GBP'],
      ]),
      policyIds: new Map([
        [1, { smoltDelivery: 1, harvestByGrade: new Map(GRADES.map((g) => [g.id, 1 + g.id])) }],
        [2, { smoltDelivery: 7, harvestByGrade: new Map(GRADES.map((g) => [g.id, 7 + g.id])) }],
      ]),
      smoltDeliveryMarkupPercent: 15,
      harvestMarkupPercent: 10,
    },
    establishedOn: '2021-12-01',
  };
}

export interface TestScheduleOptions {
  asOf?: string;
  startDate?: string;
  eggs?: number;
  rings?: number;
  harvestTargetKg?: number;
  seed?: string;
}

/** One Faroe batch with every stage allocated in the test farm. */
export function buildTestSchedule(options: TestScheduleOptions = {}): Schedule {
  const stageDays = 90;
  const adultMaxDays = 450;
  const rings = options.rings ?? RINGS;
  const plan: BatchPlan = {
    index: 0,
    batchNumber: 'FAR-2022-001',
    geography: 'Faroe Islands',
    startDate: options.startDate ?? '2022-01-03',
    eggs: options.eggs ?? 3_500_000,
    harvestTargetKg: options.harvestTargetKg ?? 5.5,
    freshwater: STAGE_KEYS.map((stage, s) => ({
      stage,
      hall: `${STATION}-Hall-${LETTERS[s]}`,
      containers: Array.from({ length: 10 }, (_, i) => testContainerName(s, i + 1)),
      startDay: s * stageDays,
      endDay: (s + 1) * stageDays,
    })),
    sea: {
      area: AREA,
      rings: Array.from({ length: rings }, (_, i) => testRingName(i + 1)),
      startDay: 5 * stageDays,
      endDay: 5 * stageDays + adultMaxDays,
    },
  };
  return {
    version: 1,
    preset: 'engine-test',
    seed: options.seed ?? 'test',
    asOf: options.asOf ?? '2025-06-30',
    stageDays,
    adultMaxDays,
    batches: [plan],
  };
}
