// AquaMind tables of Django's auth_user, users_userprofile, finance_core side effects and django_content_type.
// Names, types, nullability and constraints follow AquaMind's migrated PostgreSQL schema exactly;
// a column ending in `?` is NULL-able. src/db/ddl.ts turns these definitions into DDL.
import { defineTable } from '../table.js';

export const auth_user = defineTable({
  name: 'auth_user',
  history: 'auth_historicaluser',
  columns: {
    id: 'integer',
    password: 'varchar(128)',
    last_login: 'timestamptz?',
    is_superuser: 'boolean',
    username: 'varchar(150)',
    first_name: 'varchar(150)',
    last_name: 'varchar(150)',
    email: 'varchar(254)',
    is_staff: 'boolean',
    is_active: 'boolean',
    date_joined: 'timestamptz',
  },
  primaryKey: ['id'],
  uniqueColumns: ['username'],
});

export const users_userprofile = defineTable({
  name: 'users_userprofile',
  history: 'users_historicaluserprofile',
  columns: {
    id: 'bigint',
    profile_picture: 'varchar(100)?',
    job_title: 'varchar(100)?',
    department: 'varchar(100)?',
    language_preference: 'varchar(5)',
    date_format_preference: 'varchar(10)',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    user_id: 'integer',
    full_name: 'varchar(150)',
    geography: 'varchar(3)',
    phone: 'varchar(20)?',
    role: 'varchar(20)',
    subsidiary: 'varchar(3)',
  },
  primaryKey: ['id'],
  references: {
    user_id: 'auth_user.id',
  },
  uniqueColumns: ['user_id'],
  fileColumns: ['profile_picture'],
  choices: {
    language_preference: ['en', 'fo', 'da'],
    date_format_preference: ['DMY', 'MDY', 'YMD'],
    geography: ['FO', 'SC', 'ALL'],
    role: ['ADMIN', 'MGR', 'OPR', 'SHIP_CREW', 'VET', 'QA', 'FIN', 'VIEW'],
    subsidiary: ['BS', 'FW', 'FM', 'LG', 'ALL'],
  },
});

export const finance_core_costcenter = defineTable({
  name: 'finance_core_costcenter',
  history: 'finance_core_historicalcostcenter',
  columns: {
    cost_center_id: 'bigint',
    code: 'varchar(64)',
    name: 'varchar(150)',
    cost_center_type: 'varchar(20)',
    description: 'text',
    is_active: 'boolean',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    company_id: 'bigint',
    parent_id: 'bigint?',
    site_id: 'bigint?',
  },
  primaryKey: ['cost_center_id'],
  references: {
    company_id: 'finance_dimcompany.company_id',
    parent_id: 'finance_core_costcenter.cost_center_id',
    site_id: 'finance_dimsite.site_id',
  },
  choices: {
    cost_center_type: ['SITE', 'PROJECT', 'DEPARTMENT', 'OTHER'],
  },
  uniques: [
    { name: 'finance_core_costcenter_company_code_uniq', columns: ['company_id', 'code'] },
  ],
});

export const finance_core_costcenterbatchlink = defineTable({
  name: 'finance_core_costcenterbatchlink',
  history: 'finance_core_historicalcostcenterbatchlink',
  columns: {
    link_id: 'bigint',
    linked_at: 'timestamptz',
    batch_id: 'bigint',
    cost_center_id: 'bigint',
    created_by_id: 'integer?',
  },
  primaryKey: ['link_id'],
  references: {
    batch_id: 'batch_batch.id',
    cost_center_id: 'finance_core_costcenter.cost_center_id',
    created_by_id: 'auth_user.id',
  },
  uniqueColumns: ['batch_id'],
});

export const finance_core_periodlock = defineTable({
  name: 'finance_core_periodlock',
  history: 'finance_core_historicalperiodlock',
  columns: {
    period_lock_id: 'bigint',
    year: 'integer',
    month: 'smallint',
    is_locked: 'boolean',
    version: 'integer',
    lock_reason: 'text',
    locked_at: 'timestamptz',
    reopened_at: 'timestamptz?',
    reopen_reason: 'text',
    updated_at: 'timestamptz',
    company_id: 'bigint',
    locked_by_id: 'integer?',
    operating_unit_id: 'bigint',
    reopened_by_id: 'integer?',
  },
  primaryKey: ['period_lock_id'],
  references: {
    company_id: 'finance_dimcompany.company_id',
    locked_by_id: 'auth_user.id',
    operating_unit_id: 'finance_dimsite.site_id',
    reopened_by_id: 'auth_user.id',
  },
  nonNegative: ['year', 'month', 'version'],
  uniques: [
    { name: 'finance_core_periodlock_company_operating_unit_year_month_uniq', columns: ['company_id', 'operating_unit_id', 'year', 'month'] },
  ],
});

export const django_content_type = defineTable({
  name: 'django_content_type',
  columns: {
    id: 'integer',
    app_label: 'varchar(100)',
    model: 'varchar(100)',
  },
  primaryKey: ['id'],
  uniques: [
    { name: 'django_content_type_app_label_model_76bd3d3b_uniq', columns: ['app_label', 'model'] },
  ],
});
