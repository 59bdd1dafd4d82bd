// AquaMind tables of apps/inventory: feeds, purchases, container stock, feeding events and summaries.
// Names, types, nullability and constraints follow AquaMind's migrated PostgreSQL schema exactly;
// a column ending in `?` is NULL-able. src/db/ddl.ts turns these definitions into DDL.
import { defineTable } from '../table.js';

export const inventory_feed = defineTable({
  name: 'inventory_feed',
  history: 'inventory_historicalfeed',
  columns: {
    id: 'bigint',
    name: 'varchar(100)',
    brand: 'varchar(100)',
    size_category: 'varchar(20)',
    pellet_size_mm: 'numeric(5,2)?',
    protein_percentage: 'numeric(5,2)?',
    fat_percentage: 'numeric(5,2)?',
    carbohydrate_percentage: 'numeric(5,2)?',
    description: 'text',
    is_active: 'boolean',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  },
  primaryKey: ['id'],
  choices: {
    size_category: ['MICRO', 'SMALL', 'MEDIUM', 'LARGE'],
  },
});

export const inventory_feedpurchase = defineTable({
  name: 'inventory_feedpurchase',
  history: 'inventory_historicalfeedpurchase',
  columns: {
    id: 'bigint',
    purchase_date: 'date',
    quantity_kg: 'numeric(10,2)',
    cost_per_kg: 'numeric(10,2)',
    supplier: 'varchar(100)',
    batch_number: 'varchar(100)',
    expiry_date: 'date?',
    notes: 'text',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    feed_id: 'bigint',
  },
  primaryKey: ['id'],
  references: {
    feed_id: 'inventory_feed.id',
  },
});

export const inventory_feedcontainerstock = defineTable({
  name: 'inventory_feedcontainerstock',
  history: 'inventory_historicalfeedcontainerstock',
  columns: {
    id: 'bigint',
    quantity_kg: 'numeric(10,2)',
    entry_date: 'timestamptz',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    feed_container_id: 'bigint',
    feed_purchase_id: 'bigint',
  },
  primaryKey: ['id'],
  references: {
    feed_container_id: 'infrastructure_feedcontainer.id',
    feed_purchase_id: 'inventory_feedpurchase.id',
  },
  indexes: [
    { name: 'inventory_f_feed_co_cd3df6_idx', columns: "feed_container_id, entry_date" },
    { name: 'inventory_f_feed_pu_89e94c_idx', columns: "feed_purchase_id" },
  ],
});

export const inventory_feedingevent = defineTable({
  name: 'inventory_feedingevent',
  history: 'inventory_historicalfeedingevent',
  columns: {
    id: 'bigint',
    feeding_date: 'date',
    feeding_time: 'time',
    amount_kg: 'numeric(10,4)',
    batch_biomass_kg: 'numeric(10,2)',
    feeding_percentage: 'numeric(8,6)?',
    method: 'varchar(20)',
    notes: 'text',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    batch_id: 'bigint',
    batch_assignment_id: 'bigint?',
    container_id: 'bigint',
    feed_id: 'bigint',
    recorded_by_id: 'integer?',
    feed_cost: 'numeric(10,2)?',
  },
  primaryKey: ['id'],
  references: {
    batch_id: 'batch_batch.id',
    batch_assignment_id: 'batch_batchcontainerassignment.id',
    container_id: 'infrastructure_container.id',
    feed_id: 'inventory_feed.id',
    recorded_by_id: 'auth_user.id',
  },
  choices: {
    method: ['MANUAL', 'AUTOMATIC', 'BROADCAST'],
  },
});

export const inventory_containerfeedingsummary = defineTable({
  name: 'inventory_containerfeedingsummary',
  history: 'inventory_historicalcontainerfeedingsummary',
  columns: {
    id: 'bigint',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    period_start: 'date',
    period_end: 'date',
    total_feed_kg: 'numeric(10,2)',
    starting_biomass_kg: 'numeric(10,2)?',
    ending_biomass_kg: 'numeric(10,2)?',
    growth_kg: 'numeric(10,2)?',
    fcr: 'numeric(5,3)?',
    confidence_level: 'varchar(20)',
    estimation_method: 'varchar(20)?',
    data_points: 'integer',
    batch_id: 'bigint',
    container_assignment_id: 'bigint',
  },
  primaryKey: ['id'],
  references: {
    batch_id: 'batch_batch.id',
    container_assignment_id: 'batch_batchcontainerassignment.id',
  },
  nonNegative: ['data_points'],
  choices: {
    confidence_level: ['VERY_HIGH', 'HIGH', 'MEDIUM', 'LOW'],
    estimation_method: ['MEASURED', 'INTERPOLATED'],
  },
  uniques: [
    { name: 'inventory_containerfeedi_container_assignment_id__52d04355_uniq', columns: ['container_assignment_id', 'period_start', 'period_end'] },
  ],
  indexes: [
    { name: 'inventory_c_batch_i_f16328_idx', columns: "batch_id, period_start, period_end" },
    { name: 'inventory_c_contain_3994a5_idx', columns: "container_assignment_id, period_start" },
  ],
});

export const inventory_batchfeedingsummary = defineTable({
  name: 'inventory_batchfeedingsummary',
  history: 'inventory_historicalbatchfeedingsummary',
  columns: {
    id: 'bigint',
    period_start: 'date',
    period_end: 'date',
    total_feed_kg: 'numeric(10,2)',
    average_feeding_percentage: 'numeric(5,2)?',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    batch_id: 'bigint',
    total_feed_consumed_kg: 'numeric(10,2)?',
    total_biomass_gain_kg: 'numeric(10,2)?',
    fcr: 'numeric(5,3)?',
    estimation_method: 'varchar(20)?',
    container_count: 'integer',
    overall_confidence_level: 'varchar(20)',
    total_ending_biomass_kg: 'numeric(10,2)?',
    total_growth_kg: 'numeric(10,2)?',
    total_starting_biomass_kg: 'numeric(10,2)?',
    weighted_avg_fcr: 'numeric(5,3)?',
    average_biomass_kg: 'numeric(10,2)?',
  },
  primaryKey: ['id'],
  references: {
    batch_id: 'batch_batch.id',
  },
  nonNegative: ['container_count'],
  choices: {
    estimation_method: ['MEASURED', 'MIXED', 'INTERPOLATED'],
    overall_confidence_level: ['VERY_HIGH', 'HIGH', 'MEDIUM', 'LOW'],
  },
  uniques: [
    { name: 'inventory_batchfeedingsu_batch_id_period_start_pe_a16d0798_uniq', columns: ['batch_id', 'period_start', 'period_end'] },
  ],
});
