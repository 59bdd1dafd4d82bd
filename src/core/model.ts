/**
 * The farm as the engine sees it: infrastructure and master data with their deterministic IDs.
 * `buildFarm()` (src/farm/build.ts) makes it; `emitFarmRows()` (src/farm/emit.ts) writes it to the
 * sink. The engine reads only this model: it never looks rows up by name in the database.
 */
import type { GeographyCode, GeographyName, HallLetter } from './layout.js';
import type { StageName, StageOrder } from './stages.js';

export interface Geography {
  id: number;
  name: GeographyName;
  code: GeographyCode;
}

export interface Stage {
  id: number;
  order: StageOrder;
  name: StageName;
  expectedWeightMinG: number;
  expectedWeightMaxG: number;
}

export interface Station {
  id: number;
  name: string; // FI-FW-01
  geographyId: number;
}

export interface Hall {
  id: number;
  name: string; // FI-FW-01-Hall-A
  stationId: number;
  letter: HallLetter;
  /** The stage this hall serves (A = 1 … E = 5). */
  stageOrder: 1 | 2 | 3 | 4 | 5;
  /** The hall's silo. */
  feedContainerIds: number[];
  /** HOLDING containers, in name order. */
  containerIds: number[];
}

export interface Area {
  id: number;
  name: string; // FI-SEA-01
  geographyId: number;
  /** The area's barges, in name order. */
  feedContainerIds: number[];
  /** Rings, in name order. */
  containerIds: number[];
}

export interface Container {
  id: number;
  name: string; // FI-FW-01-A-C01, FI-SEA-01-Ring-01
  hallId: number | null;
  areaId: number | null;
  role: 'HOLDING' | 'STRUCTURAL';
  volumeM3: number;
  maxBiomassKg: number;
  /** Sensors that carry an environmental parameter, i.e. the readings this container gets. */
  sensors: { sensorId: number; parameterId: number }[];
}

export interface FeedContainer {
  id: number;
  name: string;
  kind: 'SILO' | 'BARGE';
  capacityKg: number;
  hallId: number | null;
  areaId: number | null;
}

export interface EnvironmentalParameter {
  id: number;
  name: string; // Temperature, Dissolved Oxygen, pH, CO2, NO2, NO3, NH4
  unit: string;
  /** Centre value of the generated readings (AquaMind's gen_env_value bases). */
  base: number;
}

export interface Feed {
  id: number;
  name: string; // Starter Feed 0.5mm …
  /** The stage the engine feeds it to, or null for the unused 6.0 mm finisher. */
  stageOrder: 2 | 3 | 4 | 5 | 6 | null;
}

export interface ProductGrade {
  id: number;
  code: 'SUPERIOR' | 'GRADE_A' | 'GRADE_B' | 'GRADE_C' | 'REJECT';
}

export interface LiceType {
  id: number;
  species: string;
  gender: string;
  developmentStage: string;
}

export interface VaccinationType {
  id: number;
  name: string;
  dosage: string;
}

/** A planning_activitytemplate the planned-activity seeding turns into one activity per ACTIVE batch. */
export interface ActivityTemplate {
  id: number;
  activityType: 'TRANSFER' | 'VACCINATION' | 'FEED_CHANGE' | 'SAMPLING' | 'TREATMENT' | 'HARVEST';
  /** Days after the batch start the activity is due. */
  dayOffset: number;
  notes: string;
  weightThresholdG: number | null;
}

/** The in-memory farm (the seed layer's `Farm` is the database handle). */
export interface FarmModel {
  speciesId: number;
  geographies: Geography[];
  stages: Stage[]; // by order, index 0 = order 1
  stations: Station[];
  halls: Hall[];
  areas: Area[];
  containers: Map<number, Container>;
  containerIdByName: Map<string, number>;
  feedContainers: Map<number, FeedContainer>;
  parameters: EnvironmentalParameter[];
  feeds: Feed[];
  /** Active health parameters (AquaMind scores every active one per observed fish). */
  healthParameterIds: number[];
  liceTypes: LiceType[];
  /** Vaccination types ordered by name. */
  vaccinationTypeIds: number[];
  /** The same vaccination types with what the engine writes on a vaccination, ordered by name. */
  vaccinationTypes: VaccinationType[];
  /** The 20 DAY_OFFSET activity templates, in ID order. */
  activityTemplates: ActivityTemplate[];
  /** django_content_type ids of the models intercompany transactions point at. */
  contentTypeIds: { batchTransferWorkflow: number; harvestEvent: number };
  productGrades: ProductGrade[];
  mortalityReasonIds: number[];
  /** auth_user ids. The engine acts as system_admin. */
  users: {
    systemAdminId: number;
    adminId: number;
    /** What every farm user logs in with (AquaMind's `admin123` unless the schedule says otherwise). */
    password: string;
    /** The salt of their stored hash, derived from the schedule seed. */
    passwordSalt: string;
  };
  /** Egg supplier id per geography id. */
  eggSupplierIdByGeography: Map<number, number>;
  scenarioModels: {
    tgcModelIdByGeography: Map<number, number>;
    fcrModelId: number;
    mortalityModelId: number;
    temperatureProfileIdByGeography: Map<number, number>;
    /** scenario_temperatureprofile.name per geography id. */
    temperatureProfileNameByGeography: Map<number, string>;
    /** scenario_tgcmodel.tgc_value per geography id. */
    tgcValueByGeography: Map<number, number>;
    /** FCR and duration per stage order (scenario_fcrmodelstage), index 0 = order 1. */
    fcrStages: { fcr: number; durationDays: number }[];
    /** Daily mortality as a fraction (scenario_mortalitymodel.rate is in percent). */
    mortalityRatePerDay: number;
    /**
     * Each geography's sea temperature profile in °C, element i for day_number i + 1 (450 days), as
     * written to scenario_temperaturereading: the projection's Post-Smolt/Adult temperatures.
     */
    temperaturesByGeography: Map<number, number[]>;
  };
  finance: {
    /** DimCompany ids per geography id and subsidiary. */
    companyIds: Map<number, { FW: number; FM: number; LG: number }>;
    /** DimSite id per station id and per area id. */
    siteIdByStation: Map<number, number>;
    siteIdByArea: Map<number, number>;
    /** DimCompany currency per geography id. */
    currencyByGeography: Map<number, string>;
    /** IntercompanyPolicy ids per geography id: FW→FM smolt delivery, and FM→LG per product grade id. */
    policyIds: Map<number, { smoltDelivery: number; harvestByGrade: Map<number, number> }>;
    /** IntercompanyPolicy markups in percent. */
    smoltDeliveryMarkupPercent: number;
    harvestMarkupPercent: number;
  };
  /** The date master-data rows are stamped with (simulated time). */
  establishedOn: string;
}
