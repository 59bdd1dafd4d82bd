// AquaMind tables of apps/planning: activity templates and planned activities.
// Names, types, nullability and constraints follow AquaMind's migrated PostgreSQL schema exactly;
// a column ending in `?` is NULL-able. src/db/ddl.ts turns these definitions into DDL.
import { defineTable } from '../table.js';

export const planning_activitytemplate = defineTable({
  name: 'planning_activitytemplate',
  columns: {
    id: 'bigint',
    name: 'varchar(200)',
    description: 'text?',
    activity_type: 'varchar(50)',
    trigger_type: 'varchar(20)',
    day_offset: 'integer?',
    weight_threshold_g: 'numeric(10,2)?',
    notes_template: 'text?',
    is_active: 'boolean',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    target_lifecycle_stage_id: 'bigint?',
  },
  primaryKey: ['id'],
  references: {
    target_lifecycle_stage_id: 'batch_lifecyclestage.id',
  },
  uniqueColumns: ['name'],
  choices: {
    activity_type: ['VACCINATION', 'TREATMENT', 'CULL', 'HARVEST', 'SALE', 'FEED_CHANGE', 'TRANSFER', 'MAINTENANCE', 'SAMPLING', 'OTHER'],
    trigger_type: ['DAY_OFFSET', 'WEIGHT_THRESHOLD', 'STAGE_TRANSITION'],
  },
});

export const planning_plannedactivity = defineTable({
  name: 'planning_plannedactivity',
  history: 'planning_historicalplannedactivity',
  columns: {
    id: 'bigint',
    activity_type: 'varchar(50)',
    due_date: 'date',
    status: 'varchar(20)',
    notes: 'text?',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    completed_at: 'timestamptz?',
    batch_id: 'bigint',
    completed_by_id: 'integer?',
    container_id: 'bigint?',
    created_by_id: 'integer',
    scenario_id: 'bigint',
    transfer_workflow_id: 'bigint?',
  },
  primaryKey: ['id'],
  references: {
    batch_id: 'batch_batch.id',
    completed_by_id: 'auth_user.id',
    container_id: 'infrastructure_container.id',
    created_by_id: 'auth_user.id',
    scenario_id: 'scenario.scenario_id',
    transfer_workflow_id: 'batch_batchtransferworkflow.id',
  },
  choices: {
    activity_type: ['VACCINATION', 'TREATMENT', 'CULL', 'HARVEST', 'SALE', 'FEED_CHANGE', 'TRANSFER', 'MAINTENANCE', 'SAMPLING', 'OTHER'],
    status: ['PENDING', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'],
  },
  indexes: [
    { name: 'idx_pa_batch_status', columns: "batch_id, status" },
    { name: 'idx_pa_scenario_due_date', columns: "scenario_id, due_date" },
    { name: 'idx_pa_type_status', columns: "activity_type, status" },
  ],
});
