/**
 * Health master data: health_healthparameter and health_parameterscoredefinition
 * (`01_initialize_health_parameters.py`), health_mortalityreason, health_licetype (migration
 * health/0021) and health_vaccinationtype (the deleted `02_initialize_master_data.py`).
 *
 * ID order: health parameters as listed (Gill Health … Color and Pigmentation); score definitions
 * parameter by parameter, scores 0..3; mortality reasons UNKNOWN (the migration's row, created
 * before any script ran), then the script's seven; lice types in the migration's order; vaccination
 * types IPN, VHS, Multi-component (creation order; `FarmModel.vaccinationTypeIds` is ordered by name).
 */
import type { RowSink } from '../rows/sink.js';
import type { FarmModel, LiceType, VaccinationType } from '../core/model.js';
import { auditStamp } from '../rows/audit.js';
import { byName, lookup, oneTo, withIds } from './catalog.js';

interface HealthParameterSpec {
  name: string;
  description: string;
  /** What scores 0 (Great) … 3 (Critical) look like. */
  scores: readonly [string, string, string, string];
}

const HEALTH_PARAMETERS: readonly HealthParameterSpec[] = [
  {
    name: 'Gill Health',
    description: 'Colour, mucus and integrity of the gill filaments',
    scores: ['Bright red, clean filaments', 'Slight paleness or excess mucus', 'Marked paleness, swelling or clubbed filaments', 'Extensive necrosis or inflammation; respiratory distress'],
  },
  {
    name: 'Eye Condition',
    description: 'Clarity and integrity of the eyes',
    scores: ['Clear, bright eyes', 'Slight cloudiness', 'Marked cloudiness, bleeding or protrusion', 'Cataract, rupture or loss of the eye'],
  },
  {
    name: 'Wounds and Skin Condition',
    description: 'Skin, scale cover and wounds',
    scores: ['Intact skin and scales', 'Minor abrasions or scale loss', 'Open wounds or ulcers', 'Extensive deep ulcers or necrotic lesions'],
  },
  {
    name: 'Fin Condition',
    description: 'Integrity of the fins',
    scores: ['Intact fins', 'Minor fraying or splitting', 'Moderate fin erosion', 'Severe erosion or loss of fins'],
  },
  {
    name: 'Body Condition',
    description: 'Shape, proportions and condition factor',
    scores: ['Well proportioned, good condition', 'Slightly thin or minor deformity', 'Thin or visibly deformed', 'Emaciated or severely malformed'],
  },
  {
    name: 'Swimming Behavior',
    description: 'Activity and swimming pattern in the unit',
    scores: ['Active, normal schooling', 'Slightly lethargic', 'Erratic or sluggish swimming', 'Cannot keep position; moribund'],
  },
  {
    name: 'Appetite and Feeding Response',
    description: 'Response to feed at feeding time',
    scores: ['Strong feeding response', 'Slightly reduced response', 'Poor appetite', 'No feeding response'],
  },
  {
    name: 'Mucous Membrane Condition',
    description: 'Mucus layer on skin and gills',
    scores: ['Normal mucus layer', 'Slight excess mucus', 'Heavy or patchy mucus', 'Mucus layer absent or damaged'],
  },
  {
    name: 'Color and Pigmentation',
    description: 'Skin colour and pigmentation',
    scores: ['Normal bright colouring', 'Slight colour change', 'Marked darkening or discolouration', 'Severe discolouration with lesions'],
  },
];

const SCORE_LABELS = ['Great', 'Fair', 'Poor', 'Critical'] as const;
const MIN_SCORE = 0;
const MAX_SCORE = 3;

/** UNKNOWN is the migration's row; the engine writes cause UNKNOWN on every mortality event. */
const MORTALITY_REASONS: readonly { name: string; description: string }[] = [
  { name: 'UNKNOWN', description: 'Unknown or unspecified mortality reason' },
  { name: 'Natural Death', description: 'Natural causes' },
  { name: 'Disease', description: 'Mortality caused by disease' },
  { name: 'Stress', description: 'Stress-induced mortality' },
  { name: 'Handling', description: 'Mortality during handling or transfer' },
  { name: 'Predation', description: 'Predation by birds, seals or other predators' },
  { name: 'Environmental', description: 'Environmental conditions such as temperature or oxygen' },
  { name: 'Unknown', description: 'Cause not determined' },
];

const L_SALMONIS = 'Lepeophtheirus salmonis';
const C_ELONGATUS = 'Caligus elongatus';

interface LiceTypeSpec {
  species: string;
  gender: 'female' | 'male' | 'unknown';
  developmentStage: string;
  description: string;
}

const LICE_TYPES: readonly LiceTypeSpec[] = [
  { species: L_SALMONIS, gender: 'female', developmentStage: 'copepodid', description: 'Free-swimming infective larva' },
  { species: L_SALMONIS, gender: 'female', developmentStage: 'chalimus', description: 'Attached juvenile (chalimus I-IV)' },
  { species: L_SALMONIS, gender: 'female', developmentStage: 'pre-adult', description: 'Mobile pre-adult female' },
  { species: L_SALMONIS, gender: 'female', developmentStage: 'adult', description: 'Adult female, egg-bearing when gravid; the regulatory count' },
  { species: L_SALMONIS, gender: 'male', developmentStage: 'copepodid', description: 'Free-swimming infective larva' },
  { species: L_SALMONIS, gender: 'male', developmentStage: 'chalimus', description: 'Attached juvenile (chalimus I-IV)' },
  { species: L_SALMONIS, gender: 'male', developmentStage: 'pre-adult', description: 'Mobile pre-adult male' },
  { species: L_SALMONIS, gender: 'male', developmentStage: 'adult', description: 'Adult male' },
  { species: C_ELONGATUS, gender: 'female', developmentStage: 'juvenile', description: 'Juvenile Caligus (early stages combined)' },
  { species: C_ELONGATUS, gender: 'female', developmentStage: 'adult', description: 'Adult female Caligus' },
  { species: C_ELONGATUS, gender: 'male', developmentStage: 'juvenile', description: 'Juvenile Caligus (early stages combined)' },
  { species: C_ELONGATUS, gender: 'male', developmentStage: 'adult', description: 'Adult male Caligus' },
  { species: 'Unknown', gender: 'unknown', developmentStage: 'juvenile', description: 'Juvenile louse, species not identified' },
  { species: 'Unknown', gender: 'female', developmentStage: 'adult', description: 'Adult female louse, species not identified' },
  { species: 'Unknown', gender: 'male', developmentStage: 'adult', description: 'Adult male louse, species not identified' },
];

const VACCINATION_TYPES: readonly { name: string; manufacturer: string; dosage: string; description: string }[] = [
  { name: 'IPN Vaccine', manufacturer: 'Novartis', dosage: '0.05 ml', description: 'Infectious pancreatic necrosis vaccine' },
  { name: 'VHS Vaccine', manufacturer: 'Elanco', dosage: '0.05 ml', description: 'Viral haemorrhagic septicaemia vaccine' },
  { name: 'Multi-component Vaccine', manufacturer: 'Pharmaq', dosage: '0.10 ml', description: 'Multi-disease vaccine (IPN, VHS, IHN)' },
];

export interface HealthMasterData {
  healthParameterIds: number[];
  mortalityReasonIds: number[];
  liceTypes: LiceType[];
  vaccinationTypeIds: number[];
  vaccinationTypes: VaccinationType[];
}

export function buildHealth(): HealthMasterData {
  const vaccinationIds = VACCINATION_TYPES.map((v, index) => ({ id: index + 1, name: v.name, dosage: v.dosage }));
  const byNameOrder = [...vaccinationIds].sort(byName);
  return {
    healthParameterIds: oneTo(HEALTH_PARAMETERS.length),
    mortalityReasonIds: oneTo(MORTALITY_REASONS.length),
    liceTypes: LICE_TYPES.map((l, index) => ({ id: index + 1, species: l.species, gender: l.gender, developmentStage: l.developmentStage })),
    // AquaMind's engine rotates vaccines over VaccinationType.objects.order_by('name').
    vaccinationTypeIds: byNameOrder.map((v) => v.id),
    vaccinationTypes: byNameOrder,
  };
}

/** health_healthparameter and health_parameterscoredefinition */
export function emitHealthParameters(farm: FarmModel, sink: RowSink): void {
  const stamp = auditStamp(farm.establishedOn);
  const parameters = withIds(HEALTH_PARAMETERS, farm.healthParameterIds, 'health parameters');
  for (const { id, item } of parameters) {
    sink.emit('health_healthparameter', {
      id,
      name: item.name,
      is_active: true,
      ...stamp,
      description: item.description,
      max_score: MAX_SCORE,
      min_score: MIN_SCORE,
    });
  }
  let definitionId = 0;
  for (const { id, item } of parameters) {
    item.scores.forEach((description, score) => {
      sink.emit('health_parameterscoredefinition', {
        id: ++definitionId,
        score_value: score,
        label: SCORE_LABELS[score] ?? String(score),
        description,
        display_order: score,
        ...stamp,
        parameter_id: id,
      });
    });
  }
}

/** health_mortalityreason */
export function emitMortalityReasons(farm: FarmModel, sink: RowSink): void {
  for (const { id, item } of withIds(MORTALITY_REASONS, farm.mortalityReasonIds, 'mortality reasons')) {
    sink.emit('health_mortalityreason', { id, name: item.name, description: item.description, parent_id: null });
  }
}

/** health_licetype */
export function emitLiceTypes(farm: FarmModel, sink: RowSink): void {
  const stamp = auditStamp(farm.establishedOn);
  for (const lice of farm.liceTypes) {
    const spec = lookup(
      LICE_TYPES,
      (l) => l.species === lice.species && l.gender === lice.gender && l.developmentStage === lice.developmentStage,
      `lice type ${lice.species} ${lice.gender} ${lice.developmentStage}`,
    );
    sink.emit('health_licetype', {
      id: lice.id,
      species: lice.species,
      gender: spec.gender,
      development_stage: lice.developmentStage,
      description: spec.description,
      is_active: true,
      ...stamp,
    });
  }
}

/** health_vaccinationtype */
export function emitVaccinationTypes(farm: FarmModel, sink: RowSink): void {
  const byNameOrder = [...VACCINATION_TYPES].sort(byName);
  const rows = withIds(byNameOrder, farm.vaccinationTypeIds, 'vaccination types').sort((a, b) => a.id - b.id);
  for (const { id, item } of rows) {
    sink.emit('health_vaccinationtype', { id, name: item.name, manufacturer: item.manufacturer, dosage: item.dosage, description: item.description });
  }
}
