// AquaMind tables of apps/finance and apps/harvest: dimensions, policies, harvest facts, intercompany transactions, grades, harvest events.
// Names, types, nullability and constraints follow AquaMind's migrated PostgreSQL schema exactly;
// a column ending in `?` is NULL-able. src/db/ddl.ts turns these definitions into DDL.
import { defineTable } from '../table.js';

export const finance_dimcompany = defineTable({
  name: 'finance_dimcompany',
  columns: {
    company_id: 'bigint',
    subsidiary: 'varchar(3)',
    display_name: 'varchar(150)',
    currency: 'varchar(3)?',
    nav_company_code: 'varchar(50)?',
    geography_id: 'bigint',
  },
  primaryKey: ['company_id'],
  references: {
    geography_id: 'infrastructure_geography.id',
  },
  choices: {
    subsidiary: ['BS', 'FW', 'FM', 'LG', 'ALL'],
  },
  uniques: [
    { name: 'dim_company_geography_subsidiary_uniq', columns: ['geography_id', 'subsidiary'] },
  ],
});

export const finance_dimsite = defineTable({
  name: 'finance_dimsite',
  columns: {
    site_id: 'bigint',
    source_model: 'varchar(16)',
    source_pk: 'integer',
    site_name: 'varchar(150)',
    company_id: 'bigint',
  },
  primaryKey: ['site_id'],
  references: {
    company_id: 'finance_dimcompany.company_id',
  },
  nonNegative: ['source_pk'],
  choices: {
    source_model: ['station', 'area'],
  },
  uniques: [
    { name: 'dim_site_source_model_pk_uniq', columns: ['source_model', 'source_pk'] },
  ],
});

export const finance_intercompanypolicy = defineTable({
  name: 'finance_intercompanypolicy',
  history: 'finance_historicalintercompanypolicy',
  columns: {
    policy_id: 'bigint',
    method: 'varchar(20)',
    markup_percent: 'numeric(6,3)?',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    from_company_id: 'bigint',
    product_grade_id: 'bigint?',
    to_company_id: 'bigint',
    pricing_basis: 'varchar(20)',
    lifecycle_stage_id: 'bigint?',
    price_per_kg: 'numeric(10,2)?',
    price_per_thousand_eggs: 'numeric(10,2)?',
  },
  primaryKey: ['policy_id'],
  references: {
    from_company_id: 'finance_dimcompany.company_id',
    product_grade_id: 'harvest_productgrade.id',
    to_company_id: 'finance_dimcompany.company_id',
    lifecycle_stage_id: 'batch_lifecyclestage.id',
  },
  choices: {
    method: ['market', 'cost_plus', 'standard'],
    pricing_basis: ['grade', 'lifecycle', 'egg_delivery'],
  },
  indexes: [
    { name: 'intercompany_policy_company_grade_uniq', columns: "from_company_id, to_company_id, product_grade_id", unique: true, where: "(((pricing_basis)::text = 'grade'::text) AND (product_grade_id IS NOT NULL))" },
    { name: 'intercompany_policy_company_lifecycle_uniq', columns: "from_company_id, to_company_id, lifecycle_stage_id", unique: true, where: "((lifecycle_stage_id IS NOT NULL) AND ((pricing_basis)::text = 'lifecycle'::text))" },
  ],
});

export const finance_factharvest = defineTable({
  name: 'finance_factharvest',
  history: 'finance_historicalfactharvest',
  columns: {
    fact_id: 'bigint',
    event_date: 'timestamptz',
    quantity_kg: 'numeric(12,3)',
    unit_count: 'integer',
    dim_batch_id: 'integer',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    dim_company_id: 'bigint',
    dim_site_id: 'bigint',
    event_id: 'bigint',
    lot_id: 'bigint',
    product_grade_id: 'bigint',
  },
  primaryKey: ['fact_id'],
  references: {
    dim_company_id: 'finance_dimcompany.company_id',
    dim_site_id: 'finance_dimsite.site_id',
    event_id: 'harvest_harvestevent.id',
    lot_id: 'harvest_harvestlot.id',
    product_grade_id: 'harvest_productgrade.id',
  },
  uniqueColumns: ['lot_id'],
  indexedColumns: ['event_date'],
  nonNegative: ['unit_count', 'dim_batch_id'],
  indexes: [
    { name: 'ix_fact_harvest_company_grade', columns: "dim_company_id, product_grade_id" },
    { name: 'ix_fact_harvest_event_date', columns: "event_date" },
  ],
});

export const finance_intercompanytransaction = defineTable({
  name: 'finance_intercompanytransaction',
  history: 'finance_historicalintercompanytransaction',
  columns: {
    tx_id: 'bigint',
    posting_date: 'date',
    amount: 'numeric(14,2)?',
    currency: 'varchar(3)?',
    state: 'varchar(20)',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    event_id: 'bigint?',
    policy_id: 'bigint',
    content_type_id: 'integer',
    object_id: 'integer',
    approved_by_id: 'integer?',
    approval_date: 'timestamptz?',
  },
  primaryKey: ['tx_id'],
  references: {
    event_id: 'harvest_harvestevent.id',
    policy_id: 'finance_intercompanypolicy.policy_id',
    content_type_id: 'django_content_type.id',
    approved_by_id: 'auth_user.id',
  },
  indexedColumns: ['posting_date'],
  nonNegative: ['object_id'],
  choices: {
    state: ['pending', 'posted', 'exported'],
  },
  uniques: [
    { name: 'intercompany_transaction_source_policy_uniq', columns: ['content_type_id', 'object_id', 'policy_id'] },
  ],
  indexes: [
    { name: 'intercompany_transaction_event_policy_uniq', columns: "event_id, policy_id", unique: true, where: "(event_id IS NOT NULL)" },
    { name: 'ix_interco_ct_objid', columns: "content_type_id, object_id" },
    { name: 'ix_interco_state_posting', columns: "state, posting_date" },
    { name: 'ix_intercompany_posting_date', columns: "posting_date" },
  ],
});

export const harvest_productgrade = defineTable({
  name: 'harvest_productgrade',
  history: 'harvest_historicalproductgrade',
  columns: {
    id: 'bigint',
    code: 'varchar(50)',
    name: 'varchar(100)',
    description: 'text',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  },
  primaryKey: ['id'],
  uniqueColumns: ['code'],
});

export const harvest_harvestevent = defineTable({
  name: 'harvest_harvestevent',
  history: 'harvest_historicalharvestevent',
  columns: {
    id: 'bigint',
    event_date: 'timestamptz',
    dest_subsidiary: 'varchar(3)?',
    document_ref: 'varchar(100)',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    assignment_id: 'bigint',
    batch_id: 'bigint',
    dest_geography_id: 'bigint?',
  },
  primaryKey: ['id'],
  references: {
    assignment_id: 'batch_batchcontainerassignment.id',
    batch_id: 'batch_batch.id',
    dest_geography_id: 'infrastructure_geography.id',
  },
  indexedColumns: ['event_date'],
  choices: {
    dest_subsidiary: ['BS', 'FW', 'FM', 'LG', 'ALL'],
  },
  indexes: [
    { name: 'harvest_har_dest_su_86e9c4_idx', columns: "dest_subsidiary" },
    { name: 'harvest_har_event_d_b1dbec_idx', columns: "event_date, batch_id" },
  ],
});

export const harvest_harvestlot = defineTable({
  name: 'harvest_harvestlot',
  history: 'harvest_historicalharvestlot',
  columns: {
    id: 'bigint',
    live_weight_kg: 'numeric(12,3)',
    gutted_weight_kg: 'numeric(12,3)?',
    fillet_weight_kg: 'numeric(12,3)?',
    unit_count: 'integer',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    event_id: 'bigint',
    product_grade_id: 'bigint',
  },
  primaryKey: ['id'],
  references: {
    event_id: 'harvest_harvestevent.id',
    product_grade_id: 'harvest_productgrade.id',
  },
  nonNegative: ['unit_count'],
});
