// AquaMind tables of apps/environmental: parameters and readings.
// Names, types, nullability and constraints follow AquaMind's migrated PostgreSQL schema exactly;
// a column ending in `?` is NULL-able. src/db/ddl.ts turns these definitions into DDL.
import { defineTable } from '../table.js';

export const environmental_environmentalparameter = defineTable({
  name: 'environmental_environmentalparameter',
  history: 'environmental_historicalenvironmentalparameter',
  columns: {
    id: 'bigint',
    name: 'varchar(100)',
    unit: 'varchar(20)',
    description: 'text',
    min_value: 'numeric(10,2)?',
    max_value: 'numeric(10,2)?',
    optimal_min: 'numeric(10,2)?',
    optimal_max: 'numeric(10,2)?',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  },
  primaryKey: ['id'],
});

export const environmental_environmentalreading = defineTable({
  name: 'environmental_environmentalreading',
  columns: {
    id: 'bigint',
    value: 'numeric(10,4)',
    reading_time: 'timestamptz',
    is_manual: 'boolean',
    notes: 'text',
    created_at: 'timestamptz',
    batch_id: 'bigint?',
    container_id: 'bigint?',
    parameter_id: 'bigint',
    recorded_by_id: 'integer?',
    sensor_id: 'bigint?',
    batch_container_assignment_id: 'bigint?',
  },
  primaryKey: ['id', 'reading_time'],
  references: {
    batch_id: 'batch_batch.id',
    container_id: 'infrastructure_container.id',
    parameter_id: 'environmental_environmentalparameter.id',
    recorded_by_id: 'auth_user.id',
    sensor_id: 'infrastructure_sensor.id',
  },
  // Django declares this foreign key with db_constraint=False: no constraint, but its index.
  logicalReferences: {
    batch_container_assignment_id: 'batch_batchcontainerassignment.id',
  },
  indexedColumns: ['batch_container_assignment_id'],
  indexes: [
    { name: 'environment_batch_c_343740_idx', columns: "batch_container_assignment_id, parameter_id, reading_time" },
    { name: 'environment_batch_i_e1fe9c_idx', columns: "batch_id, parameter_id, reading_time" },
    { name: 'environment_contain_a6622f_idx', columns: "container_id, parameter_id, reading_time" },
  ],
});
