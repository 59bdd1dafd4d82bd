// AquaMind tables of apps/scenario: temperature profiles, TGC/FCR/mortality models, scenarios and projections.
// Names, types, nullability and constraints follow AquaMind's migrated PostgreSQL schema exactly;
// a column ending in `?` is NULL-able. src/db/ddl.ts turns these definitions into DDL.
import { defineTable } from '../table.js';

export const scenario_temperatureprofile = defineTable({
  name: 'scenario_temperatureprofile',
  columns: {
    profile_id: 'bigint',
    name: 'varchar(255)',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  },
  primaryKey: ['profile_id'],
  uniqueColumns: ['name'],
});

export const scenario_temperaturereading = defineTable({
  name: 'scenario_temperaturereading',
  columns: {
    reading_id: 'bigint',
    temperature: 'float8',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    profile_id: 'bigint',
    day_number: 'integer',
  },
  primaryKey: ['reading_id'],
  references: {
    profile_id: 'scenario_temperatureprofile.profile_id',
  },
  uniques: [
    { name: 'scenario_temperaturereading_profile_id_day_number_86ab6d2d_uniq', columns: ['profile_id', 'day_number'] },
  ],
});

export const scenario_tgcmodel = defineTable({
  name: 'scenario_tgcmodel',
  columns: {
    model_id: 'bigint',
    name: 'varchar(255)',
    location: 'varchar(255)',
    release_period: 'varchar(255)',
    tgc_value: 'float8',
    exponent_n: 'float8',
    exponent_m: 'float8',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    profile_id: 'bigint',
  },
  primaryKey: ['model_id'],
  references: {
    profile_id: 'scenario_temperatureprofile.profile_id',
  },
  uniqueColumns: ['name'],
});

export const scenario_fcrmodel = defineTable({
  name: 'scenario_fcrmodel',
  columns: {
    model_id: 'bigint',
    name: 'varchar(255)',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  },
  primaryKey: ['model_id'],
  uniqueColumns: ['name'],
});

export const scenario_fcrmodelstage = defineTable({
  name: 'scenario_fcrmodelstage',
  columns: {
    id: 'bigint',
    fcr_value: 'float8',
    duration_days: 'integer',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    model_id: 'bigint',
    stage_id: 'bigint',
  },
  primaryKey: ['id'],
  references: {
    model_id: 'scenario_fcrmodel.model_id',
    stage_id: 'batch_lifecyclestage.id',
  },
  uniques: [
    { name: 'scenario_fcrmodelstage_model_id_stage_id_41461d53_uniq', columns: ['model_id', 'stage_id'] },
  ],
});

export const scenario_mortalitymodel = defineTable({
  name: 'scenario_mortalitymodel',
  columns: {
    model_id: 'bigint',
    name: 'varchar(255)',
    frequency: 'varchar(10)',
    rate: 'float8',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  },
  primaryKey: ['model_id'],
  uniqueColumns: ['name'],
  choices: {
    frequency: ['daily', 'weekly'],
  },
});

export const scenario = defineTable({
  name: 'scenario',
  renamedFrom: { name: 'scenario_scenario', laterColumns: ['biological_constraints_id'] },
  columns: {
    scenario_id: 'bigint',
    name: 'varchar(255)',
    start_date: 'date',
    duration_days: 'integer',
    initial_count: 'integer',
    genotype: 'varchar(255)',
    supplier: 'varchar(255)',
    initial_weight: 'float8?',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    batch_id: 'bigint?',
    created_by_id: 'integer?',
    fcr_model_id: 'bigint',
    mortality_model_id: 'bigint',
    tgc_model_id: 'bigint',
    biological_constraints_id: 'bigint?',
  },
  primaryKey: ['scenario_id'],
  references: {
    batch_id: 'batch_batch.id',
    created_by_id: 'auth_user.id',
    fcr_model_id: 'scenario_fcrmodel.model_id',
    mortality_model_id: 'scenario_mortalitymodel.model_id',
    tgc_model_id: 'scenario_tgcmodel.model_id',
    biological_constraints_id: 'scenario_biological_constraints.id',
  },
  indexes: [
    { name: 'scenario_start_d_75cb3d_idx', columns: "start_date" },
    { name: 'scenario_created_277418_idx', columns: "created_by_id" },
  ],
  // created_by = ForeignKey(User, null=True) without blank=True (the model's full_clean requires it)
  modelRequired: ['created_by_id'],
});

export const scenario_projection_run = defineTable({
  name: 'scenario_projection_run',
  columns: {
    run_id: 'bigint',
    run_date: 'timestamptz',
    run_number: 'integer',
    label: 'varchar(100)',
    parameters_snapshot: 'jsonb',
    notes: 'text',
    total_projections: 'integer',
    final_weight_g: 'float8?',
    final_biomass_kg: 'float8?',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    created_by_id: 'integer?',
    scenario_id: 'bigint',
  },
  primaryKey: ['run_id'],
  references: {
    created_by_id: 'auth_user.id',
    scenario_id: 'scenario.scenario_id',
  },
  nonNegative: ['run_number', 'total_projections'],
  uniques: [
    { name: 'scenario_projection_run_scenario_id_run_number_961bbbc9_uniq', columns: ['scenario_id', 'run_number'] },
  ],
  indexes: [
    { name: 'scenario_pr_run_num_231c54_idx', columns: "run_number" },
    { name: 'scenario_pr_scenari_58c6d2_idx', columns: "scenario_id, run_date DESC" },
  ],
});

export const scenario_scenarioprojection = defineTable({
  name: 'scenario_scenarioprojection',
  columns: {
    projection_id: 'bigint',
    projection_date: 'date',
    day_number: 'integer',
    average_weight: 'float8',
    population: 'float8',
    biomass: 'float8',
    daily_feed: 'float8',
    cumulative_feed: 'float8',
    temperature: 'float8',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    current_stage_id: 'bigint',
    projection_run_id: 'bigint?',
  },
  primaryKey: ['projection_id'],
  references: {
    current_stage_id: 'batch_lifecyclestage.id',
    projection_run_id: 'scenario_projection_run.run_id',
  },
  indexes: [
    { name: 'scenario_sc_project_68d05b_idx', columns: "projection_run_id, day_number" },
    { name: 'scenario_sc_project_7a2ab2_idx', columns: "projection_run_id, projection_date" },
  ],
});

export const scenario_biological_constraints = defineTable({
  name: 'scenario_biological_constraints',
  columns: {
    id: 'bigint',
    name: 'varchar(100)',
    description: 'text',
    is_active: 'boolean',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    created_by_id: 'integer?',
  },
  primaryKey: ['id'],
  references: {
    created_by_id: 'auth_user.id',
  },
  uniqueColumns: ['name'],
  // created_by = ForeignKey(User, null=True) without blank=True (the model's full_clean requires it)
  modelRequired: ['created_by_id'],
});

export const scenario_stage_constraint = defineTable({
  name: 'scenario_stage_constraint',
  columns: {
    id: 'bigint',
    lifecycle_stage: 'varchar(20)',
    min_weight_g: 'numeric(10,2)',
    max_weight_g: 'numeric(10,2)',
    min_temperature_c: 'numeric(5,2)?',
    max_temperature_c: 'numeric(5,2)?',
    typical_duration_days: 'integer?',
    max_freshwater_weight_g: 'numeric(10,2)?',
    constraint_set_id: 'bigint',
  },
  primaryKey: ['id'],
  references: {
    constraint_set_id: 'scenario_biological_constraints.id',
  },
  choices: {
    lifecycle_stage: ['egg', 'alevin', 'fry', 'parr', 'smolt', 'post_smolt', 'harvest'],
  },
  uniques: [
    { name: 'scenario_stage_constrain_constraint_set_id_lifecy_451e2c44_uniq', columns: ['constraint_set_id', 'lifecycle_stage'] },
  ],
});
