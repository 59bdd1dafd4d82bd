// AquaMind tables of apps/broodstock: the egg suppliers the farm's creation workflows name, and the
// egg-production chain that `batch_creationworkflow.egg_production_id` points into.
// Names, types, nullability and constraints follow AquaMind's migrated PostgreSQL schema exactly;
// a column ending in `?` is NULL-able. src/db/ddl.ts turns these definitions into DDL.
import { defineTable } from '../table.js';

export const broodstock_eggsupplier = defineTable({
  name: 'broodstock_eggsupplier',
  history: 'broodstock_historicaleggsupplier',
  columns: {
    id: 'bigint',
    name: 'varchar(100)',
    contact_details: 'text',
    certifications: 'text',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  },
  primaryKey: ['id'],
  uniqueColumns: ['name'],
});

// The farm's eggs come from suppliers, never from its own broodstock: the four tables below stay
// empty. They exist so that the creation workflow's foreign key into them is AquaMind's own.

export const broodstock_eggproduction = defineTable({
  name: 'broodstock_eggproduction',
  schemaOnly: true,
  columns: {
    id: 'bigint',
    egg_batch_id: 'varchar(50)',
    egg_count: 'integer',
    production_date: 'timestamptz',
    source_type: 'varchar(20)',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    destination_station_id: 'bigint?',
    pair_id: 'bigint?',
  },
  primaryKey: ['id'],
  references: {
    destination_station_id: 'infrastructure_freshwaterstation.id',
    pair_id: 'broodstock_breedingpair.id',
  },
  uniqueColumns: ['egg_batch_id'],
});

export const broodstock_breedingpair = defineTable({
  name: 'broodstock_breedingpair',
  schemaOnly: true,
  columns: {
    id: 'bigint',
    pairing_date: 'timestamptz',
    progeny_count: 'integer?',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    female_fish_id: 'bigint',
    male_fish_id: 'bigint',
    plan_id: 'bigint',
  },
  primaryKey: ['id'],
  references: {
    female_fish_id: 'broodstock_broodstockfish.id',
    male_fish_id: 'broodstock_broodstockfish.id',
    plan_id: 'broodstock_breedingplan.id',
  },
  uniques: [
    { name: 'broodstock_breedingpair_plan_id_male_fish_id_fem_6495ffa6_uniq', columns: ['plan_id', 'male_fish_id', 'female_fish_id'] },
  ],
});

export const broodstock_breedingplan = defineTable({
  name: 'broodstock_breedingplan',
  schemaOnly: true,
  columns: {
    id: 'bigint',
    name: 'varchar(100)',
    start_date: 'timestamptz',
    end_date: 'timestamptz',
    objectives: 'text',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    created_by_id: 'integer?',
    breeder_instructions: 'text',
    geneticist_notes: 'text',
  },
  primaryKey: ['id'],
  references: {
    created_by_id: 'auth_user.id',
  },
});

export const broodstock_broodstockfish = defineTable({
  name: 'broodstock_broodstockfish',
  schemaOnly: true,
  columns: {
    id: 'bigint',
    traits: 'jsonb',
    health_status: 'varchar(20)',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    container_id: 'bigint',
  },
  primaryKey: ['id'],
  references: {
    container_id: 'infrastructure_container.id',
  },
});
