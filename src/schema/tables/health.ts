// AquaMind tables of apps/health: journal, sampling, fish observations and scores, lice, treatments, vaccines.
// Names, types, nullability and constraints follow AquaMind's migrated PostgreSQL schema exactly;
// a column ending in `?` is NULL-able. src/db/ddl.ts turns these definitions into DDL.
import { defineTable } from '../table.js';

export const health_journalentry = defineTable({
  name: 'health_journalentry',
  history: 'health_historicaljournalentry',
  columns: {
    id: 'bigint',
    entry_date: 'timestamptz',
    category: 'varchar(20)',
    severity: 'varchar(10)?',
    description: 'text',
    resolution_status: 'boolean',
    resolution_notes: 'text',
    batch_id: 'bigint',
    container_id: 'bigint?',
    user_id: 'integer',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  },
  primaryKey: ['id'],
  references: {
    batch_id: 'batch_batch.id',
    container_id: 'infrastructure_container.id',
    user_id: 'auth_user.id',
  },
  choices: {
    category: ['observation', 'issue', 'action', 'diagnosis', 'treatment', 'vaccination', 'sample'],
    severity: ['low', 'medium', 'high'],
  },
});

export const health_healthsamplingevent = defineTable({
  name: 'health_healthsamplingevent',
  history: 'health_historicalhealthsamplingevent',
  columns: {
    id: 'bigint',
    sampling_date: 'date',
    number_of_fish_sampled: 'integer',
    notes: 'text?',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    assignment_id: 'bigint',
    sampled_by_id: 'integer?',
    avg_k_factor: 'numeric(10,4)?',
    avg_length_cm: 'numeric(10,2)?',
    avg_weight_g: 'numeric(10,2)?',
    calculated_sample_size: 'integer?',
    max_length_cm: 'numeric(10,2)?',
    max_weight_g: 'numeric(10,2)?',
    min_length_cm: 'numeric(10,2)?',
    min_weight_g: 'numeric(10,2)?',
    std_dev_length_cm: 'numeric(10,2)?',
    std_dev_weight_g: 'numeric(10,2)?',
  },
  primaryKey: ['id'],
  references: {
    assignment_id: 'batch_batchcontainerassignment.id',
    sampled_by_id: 'auth_user.id',
  },
  nonNegative: ['number_of_fish_sampled', 'calculated_sample_size'],
});

export const health_individualfishobservation = defineTable({
  name: 'health_individualfishobservation',
  history: 'health_historicalindividualfishobservation',
  columns: {
    id: 'bigint',
    fish_identifier: 'varchar(50)',
    length_cm: 'numeric(10,2)?',
    weight_g: 'numeric(10,2)?',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    sampling_event_id: 'bigint',
  },
  primaryKey: ['id'],
  references: {
    sampling_event_id: 'health_healthsamplingevent.id',
  },
  uniques: [
    { name: 'health_individualfishobs_sampling_event_id_fish_i_4ea9a2a8_uniq', columns: ['sampling_event_id', 'fish_identifier'] },
  ],
});

export const health_fishparameterscore = defineTable({
  name: 'health_fishparameterscore',
  history: 'health_historicalfishparameterscore',
  columns: {
    id: 'bigint',
    score: 'smallint',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    individual_fish_observation_id: 'bigint',
    parameter_id: 'bigint',
  },
  primaryKey: ['id'],
  references: {
    individual_fish_observation_id: 'health_individualfishobservation.id',
    parameter_id: 'health_healthparameter.id',
  },
  uniques: [
    { name: 'health_fishparameterscor_individual_fish_observat_01bdd54c_uniq', columns: ['individual_fish_observation_id', 'parameter_id'] },
  ],
});

export const health_healthparameter = defineTable({
  name: 'health_healthparameter',
  history: 'health_historicalhealthparameter',
  columns: {
    id: 'bigint',
    name: 'varchar(100)',
    is_active: 'boolean',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    description: 'text?',
    max_score: 'integer',
    min_score: 'integer',
  },
  primaryKey: ['id'],
  uniqueColumns: ['name'],
});

export const health_parameterscoredefinition = defineTable({
  name: 'health_parameterscoredefinition',
  history: 'health_historicalparameterscoredefinition',
  columns: {
    id: 'bigint',
    score_value: 'integer',
    label: 'varchar(50)',
    description: 'text',
    display_order: 'integer',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    parameter_id: 'bigint',
  },
  primaryKey: ['id'],
  references: {
    parameter_id: 'health_healthparameter.id',
  },
  uniques: [
    { name: 'health_parameterscoredef_parameter_id_score_value_ec653d10_uniq', columns: ['parameter_id', 'score_value'] },
  ],
});

export const health_mortalityreason = defineTable({
  name: 'health_mortalityreason',
  columns: {
    id: 'bigint',
    name: 'varchar(100)',
    description: 'text',
    parent_id: 'bigint?',
  },
  primaryKey: ['id'],
  references: {
    parent_id: 'health_mortalityreason.id',
  },
  uniqueColumns: ['name'],
});

export const health_licecount = defineTable({
  name: 'health_licecount',
  history: 'health_historicallicecount',
  columns: {
    id: 'bigint',
    count_date: 'timestamptz',
    adult_female_count: 'integer',
    adult_male_count: 'integer',
    juvenile_count: 'integer',
    fish_sampled: 'integer',
    notes: 'text',
    batch_id: 'bigint',
    container_id: 'bigint?',
    user_id: 'integer',
    confidence_level: 'numeric(3,2)?',
    count_value: 'integer?',
    detection_method: 'varchar(50)?',
    lice_type_id: 'bigint?',
    assignment_id: 'bigint?',
  },
  primaryKey: ['id'],
  references: {
    batch_id: 'batch_batch.id',
    container_id: 'infrastructure_container.id',
    user_id: 'auth_user.id',
    lice_type_id: 'health_licetype.id',
    assignment_id: 'batch_batchcontainerassignment.id',
  },
  nonNegative: ['adult_female_count', 'adult_male_count', 'juvenile_count', 'fish_sampled', 'count_value'],
  choices: {
    detection_method: ['automated', 'manual', 'visual', 'camera'],
  },
});

export const health_licetype = defineTable({
  name: 'health_licetype',
  history: 'health_historicallicetype',
  columns: {
    id: 'bigint',
    species: 'varchar(100)',
    gender: 'varchar(20)',
    development_stage: 'varchar(50)',
    description: 'text',
    is_active: 'boolean',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  },
  primaryKey: ['id'],
  choices: {
    gender: ['male', 'female', 'unknown'],
  },
  uniques: [
    { name: 'health_licetype_species_gender_development_stage_6782b582_uniq', columns: ['species', 'gender', 'development_stage'] },
  ],
  indexes: [
    { name: 'health_lice_is_acti_ae0e03_idx', columns: "is_active" },
    { name: 'health_lice_species_6bb9eb_idx', columns: "species, development_stage" },
  ],
});

export const health_treatment = defineTable({
  name: 'health_treatment',
  history: 'health_historicaltreatment',
  columns: {
    id: 'bigint',
    treatment_date: 'timestamptz',
    treatment_type: 'varchar(20)',
    description: 'text',
    dosage: 'varchar(100)',
    duration_days: 'integer',
    withholding_period_days: 'integer',
    outcome: 'varchar(20)',
    batch_id: 'bigint',
    batch_assignment_id: 'bigint?',
    container_id: 'bigint?',
    user_id: 'integer',
    vaccination_type_id: 'bigint?',
    includes_weighing: 'boolean',
    sampling_event_id: 'bigint?',
    journal_entry_id: 'bigint?',
  },
  primaryKey: ['id'],
  references: {
    batch_id: 'batch_batch.id',
    batch_assignment_id: 'batch_batchcontainerassignment.id',
    container_id: 'infrastructure_container.id',
    user_id: 'auth_user.id',
    vaccination_type_id: 'health_vaccinationtype.id',
    sampling_event_id: 'health_healthsamplingevent.id',
    journal_entry_id: 'health_journalentry.id',
  },
  nonNegative: ['duration_days', 'withholding_period_days'],
  choices: {
    treatment_type: ['medication', 'vaccination', 'physical', 'other'],
    outcome: ['pending', 'successful', 'partial', 'unsuccessful'],
  },
});

export const health_vaccinationtype = defineTable({
  name: 'health_vaccinationtype',
  columns: {
    id: 'bigint',
    name: 'varchar(100)',
    manufacturer: 'varchar(100)',
    dosage: 'varchar(100)',
    description: 'text',
  },
  primaryKey: ['id'],
  uniqueColumns: ['name'],
});
