// AquaMind tables of apps/infrastructure: geographies, stations, halls, areas, containers, sensors, feed containers.
// Names, types, nullability and constraints follow AquaMind's migrated PostgreSQL schema exactly;
// a column ending in `?` is NULL-able. src/db/ddl.ts turns these definitions into DDL.
import { defineTable } from '../table.js';

export const infrastructure_geography = defineTable({
  name: 'infrastructure_geography',
  history: 'infrastructure_historicalgeography',
  columns: {
    id: 'bigint',
    name: 'varchar(100)',
    description: 'text',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  },
  primaryKey: ['id'],
  uniqueColumns: ['name'],
});

export const infrastructure_areagroup = defineTable({
  name: 'infrastructure_areagroup',
  history: 'infrastructure_historicalareagroup',
  columns: {
    id: 'bigint',
    name: 'varchar(100)',
    code: 'varchar(32)',
    active: 'boolean',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    geography_id: 'bigint',
    parent_id: 'bigint?',
  },
  primaryKey: ['id'],
  references: {
    geography_id: 'infrastructure_geography.id',
    parent_id: 'infrastructure_areagroup.id',
  },
  uniques: [
    { name: 'uniq_area_group_geo_parent_name', columns: ['geography_id', 'parent_id', 'name'] },
  ],
});

export const infrastructure_area = defineTable({
  name: 'infrastructure_area',
  history: 'infrastructure_historicalarea',
  columns: {
    id: 'bigint',
    name: 'varchar(100)',
    latitude: 'numeric(9,6)',
    longitude: 'numeric(9,6)',
    max_biomass: 'numeric(12,2)',
    active: 'boolean',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    geography_id: 'bigint',
    area_group_id: 'bigint?',
  },
  primaryKey: ['id'],
  references: {
    geography_id: 'infrastructure_geography.id',
    area_group_id: 'infrastructure_areagroup.id',
  },
});

export const infrastructure_freshwaterstation = defineTable({
  name: 'infrastructure_freshwaterstation',
  history: 'infrastructure_historicalfreshwaterstation',
  columns: {
    id: 'bigint',
    name: 'varchar(100)',
    station_type: 'varchar(20)',
    latitude: 'numeric(9,6)',
    longitude: 'numeric(9,6)',
    description: 'text',
    active: 'boolean',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    geography_id: 'bigint',
  },
  primaryKey: ['id'],
  references: {
    geography_id: 'infrastructure_geography.id',
  },
  choices: {
    station_type: ['FRESHWATER', 'BROODSTOCK'],
  },
});

export const infrastructure_hall = defineTable({
  name: 'infrastructure_hall',
  history: 'infrastructure_historicalhall',
  columns: {
    id: 'bigint',
    name: 'varchar(100)',
    description: 'text',
    area_sqm: 'numeric(10,2)?',
    active: 'boolean',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    freshwater_station_id: 'bigint',
  },
  primaryKey: ['id'],
  references: {
    freshwater_station_id: 'infrastructure_freshwaterstation.id',
  },
});

export const infrastructure_containertype = defineTable({
  name: 'infrastructure_containertype',
  history: 'infrastructure_historicalcontainertype',
  columns: {
    id: 'bigint',
    name: 'varchar(100)',
    category: 'varchar(20)',
    max_volume_m3: 'numeric(10,2)',
    description: 'text',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
  },
  primaryKey: ['id'],
  choices: {
    category: ['TANK', 'PEN', 'TRAY', 'OTHER'],
  },
});

export const infrastructure_container = defineTable({
  name: 'infrastructure_container',
  history: 'infrastructure_historicalcontainer',
  columns: {
    id: 'bigint',
    name: 'varchar(100)',
    volume_m3: 'numeric(10,2)',
    max_biomass_kg: 'numeric(10,2)',
    active: 'boolean',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    area_id: 'bigint?',
    container_type_id: 'bigint',
    hall_id: 'bigint?',
    feed_recommendations_enabled: 'boolean',
    carrier_id: 'bigint?',
    hierarchy_role: 'varchar(20)',
    parent_container_id: 'bigint?',
  },
  primaryKey: ['id'],
  references: {
    area_id: 'infrastructure_area.id',
    container_type_id: 'infrastructure_containertype.id',
    hall_id: 'infrastructure_hall.id',
    carrier_id: 'infrastructure_transportcarrier.id',
    parent_container_id: 'infrastructure_container.id',
  },
  choices: {
    hierarchy_role: ['HOLDING', 'STRUCTURAL'],
  },
  checks: [
    { name: 'container_in_hall_area_or_carrier', sql: "CHECK ((((area_id IS NULL) AND (carrier_id IS NULL) AND (hall_id IS NOT NULL)) OR ((area_id IS NOT NULL) AND (carrier_id IS NULL) AND (hall_id IS NULL)) OR ((area_id IS NULL) AND (carrier_id IS NOT NULL) AND (hall_id IS NULL))))" },
  ],
});

export const infrastructure_sensor = defineTable({
  name: 'infrastructure_sensor',
  history: 'infrastructure_historicalsensor',
  columns: {
    id: 'bigint',
    name: 'varchar(100)',
    sensor_type: 'varchar(20)',
    serial_number: 'varchar(100)',
    manufacturer: 'varchar(100)',
    installation_date: 'date?',
    last_calibration_date: 'date?',
    active: 'boolean',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    container_id: 'bigint',
  },
  primaryKey: ['id'],
  references: {
    container_id: 'infrastructure_container.id',
  },
  choices: {
    sensor_type: ['TEMPERATURE', 'OXYGEN', 'PH', 'SALINITY', 'CO2', 'OTHER'],
  },
});

export const infrastructure_feedcontainer = defineTable({
  name: 'infrastructure_feedcontainer',
  history: 'infrastructure_historicalfeedcontainer',
  columns: {
    id: 'bigint',
    name: 'varchar(100)',
    container_type: 'varchar(20)',
    capacity_kg: 'numeric(10,2)',
    active: 'boolean',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    area_id: 'bigint?',
    hall_id: 'bigint?',
  },
  primaryKey: ['id'],
  references: {
    area_id: 'infrastructure_area.id',
    hall_id: 'infrastructure_hall.id',
  },
  choices: {
    container_type: ['SILO', 'BARGE', 'TANK', 'OTHER'],
  },
  checks: [
    { name: 'feed_container_in_either_hall_or_area', sql: "CHECK ((((area_id IS NULL) AND (hall_id IS NOT NULL)) OR ((area_id IS NOT NULL) AND (hall_id IS NULL))))" },
  ],
});

export const infrastructure_transportcarrier = defineTable({
  name: 'infrastructure_transportcarrier',
  history: 'infrastructure_historicaltransportcarrier',
  columns: {
    id: 'bigint',
    name: 'varchar(100)',
    carrier_type: 'varchar(20)',
    capacity_m3: 'numeric(10,2)',
    license_plate: 'varchar(32)',
    imo_number: 'varchar(20)',
    captain_contact: 'varchar(255)',
    active: 'boolean',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    geography_id: 'bigint',
  },
  primaryKey: ['id'],
  references: {
    geography_id: 'infrastructure_geography.id',
  },
  uniqueColumns: ['name'],
  choices: {
    carrier_type: ['TRUCK', 'VESSEL'],
  },
});
