// The farm's rows as the database receives them: counts, validity against AquaMind's models,
// keys, uniqueness, CHECK semantics, determinism and the users' password hash.
import { pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkRow } from '../../src/db/row-check.js';
import type { TableSpec } from '../../src/schema/table.js';
import { tables, type TableName } from '../../src/schema/tables/index.js';
import { MemorySink } from '../../src/rows/sink.js';
import { addDays, timestamp } from '../../src/core/time.js';
import { buildFarm, emitFarmRows } from '../../src/farm/index.js';
import type { FarmOptions } from '../../src/farm/build.js';
import { passwordSalt } from '../../src/farm/users.js';

const OPTIONS = { seed: 'farm-test', establishedOn: '2023-02-01' };

type AnyRow = Record<string, unknown>;

function emitted(options: FarmOptions = OPTIONS): MemorySink {
  const sink = new MemorySink();
  emitFarmRows(buildFarm(options), sink);
  return sink;
}

const sink = emitted();
const rowsOf = (table: TableName): AnyRow[] => (sink.rows.get(table) ?? []) as AnyRow[];
const emittedTables = [...sink.rows.keys()];
const specOf = (table: TableName): TableSpec => tables[table];

const EXPECTED_COUNTS: Partial<Record<TableName, number>> = {
  infrastructure_geography: 2,
  infrastructure_areagroup: 13,
  infrastructure_area: 42,
  infrastructure_freshwaterstation: 22,
  infrastructure_hall: 110,
  infrastructure_containertype: 9,
  infrastructure_container: 1_950,
  infrastructure_sensor: 11_060,
  infrastructure_feedcontainer: 236,
  batch_species: 1,
  batch_lifecyclestage: 6,
  environmental_environmentalparameter: 7,
  inventory_feed: 6,
  broodstock_eggsupplier: 2,
  health_healthparameter: 9,
  health_parameterscoredefinition: 36,
  health_mortalityreason: 8,
  health_licetype: 15,
  health_vaccinationtype: 3,
  harvest_productgrade: 5,
  auth_user: 5,
  users_userprofile: 5,
  scenario_temperatureprofile: 2,
  scenario_temperaturereading: 900,
  scenario_tgcmodel: 2,
  scenario_fcrmodel: 1,
  scenario_fcrmodelstage: 6,
  scenario_mortalitymodel: 1,
  scenario_biological_constraints: 1,
  scenario_stage_constraint: 6,
  finance_dimcompany: 6,
  finance_dimsite: 64,
  finance_intercompanypolicy: 12,
  planning_activitytemplate: 20,
  inventory_feedpurchase: 236,
  inventory_feedcontainerstock: 236,
  django_content_type: 2,
  // django-simple-history `+` rows of what the bootstrap scripts created one by one.
  infrastructure_historicalgeography: 2,
  infrastructure_historicalareagroup: 13,
  infrastructure_historicalarea: 42,
  infrastructure_historicalfreshwaterstation: 22,
  infrastructure_historicalhall: 110,
  infrastructure_historicalcontainertype: 9,
  infrastructure_historicalcontainer: 1_950,
  infrastructure_historicalsensor: 11_060,
  infrastructure_historicalfeedcontainer: 236,
  auth_historicaluser: 5,
  users_historicaluserprofile: 5,
  batch_historicallifecyclestage: 6,
  broodstock_historicaleggsupplier: 2,
  health_historicalhealthparameter: 9,
  health_historicalparameterscoredefinition: 36,
  finance_historicalintercompanypolicy: 12,
  inventory_historicalfeedpurchase: 236,
  inventory_historicalfeedcontainerstock: 236,
};

/** The WHERE clauses of partial unique indexes on farm tables, as row predicates. */
const PARTIAL_INDEX_CONDITIONS: Record<string, (row: AnyRow) => boolean> = {
  intercompany_policy_company_grade_uniq: (r) => r.pricing_basis === 'grade' && r.product_grade_id !== null,
  intercompany_policy_company_lifecycle_uniq: (r) => r.lifecycle_stage_id !== null && r.pricing_basis === 'lifecycle',
};

/** Rows whose key columns are all non-NULL (PostgreSQL treats NULLs as distinct) must not repeat. */
function duplicateKeys(rows: readonly AnyRow[], columns: readonly string[]): string[] {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const row of rows) {
    const values = columns.map((c) => row[c]);
    if (values.some((v) => v === null)) continue;
    const key = JSON.stringify(values);
    if (seen.has(key)) duplicates.push(key);
    seen.add(key);
  }
  return duplicates;
}

describe('emitFarmRows', () => {
  it('writes exactly the master-data row counts and nothing else', () => {
    const counts = Object.fromEntries(emittedTables.map((t) => [t, sink.count(t)]));
    expect(counts).toEqual(EXPECTED_COUNTS);
  });

  it('writes rows AquaMind models accept: columns, NULLs, choices, precision', () => {
    const problems = emittedTables.flatMap((table) => rowsOf(table).flatMap((row) => checkRow(table, row)));
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('gives each table unique primary keys, dense from 1', () => {
    for (const table of emittedTables) {
      const [key] = specOf(table).primaryKey;
      const ids = rowsOf(table).map((row) => row[key as string]);
      expect(ids, table).toEqual(ids.map((_, index) => index + 1));
    }
  });

  it('points every foreign key at an emitted row (NULL into tables the farm leaves empty)', () => {
    const missing: string[] = [];
    for (const table of emittedTables) {
      for (const [column, target] of Object.entries(specOf(table).references ?? {})) {
        const [targetTable, targetColumn] = target.split('.') as [TableName, string];
        const keys = new Set(rowsOf(targetTable).map((row) => row[targetColumn]));
        for (const row of rowsOf(table)) {
          const value = row[column];
          if (value !== null && !keys.has(value)) missing.push(`${table}.${column}=${String(value)} → ${target}`);
        }
      }
    }
    expect(missing.slice(0, 10)).toEqual([]);
  });

  it('keeps unique columns, unique constraints and unique indexes unique', () => {
    for (const table of emittedTables) {
      const spec = specOf(table);
      const rows = rowsOf(table);
      for (const column of spec.uniqueColumns ?? []) expect(duplicateKeys(rows, [column]), `${table}.${column}`).toEqual([]);
      for (const unique of spec.uniques ?? []) expect(duplicateKeys(rows, unique.columns), unique.name).toEqual([]);
      for (const index of (spec.indexes ?? []).filter((i) => i.unique)) {
        const condition = index.where === undefined ? () => true : PARTIAL_INDEX_CONDITIONS[index.name];
        expect(condition, `a row predicate for ${index.name}`).toBeDefined();
        const columns = index.columns.split(',').map((c) => c.trim());
        expect(duplicateKeys(rows.filter((r) => condition?.(r) ?? false), columns), index.name).toEqual([]);
      }
    }
  });

  it('keeps PositiveIntegerField columns non-negative', () => {
    for (const table of emittedTables) {
      for (const column of specOf(table).nonNegative ?? []) {
        const negative = rowsOf(table).filter((row) => typeof row[column] === 'number' && (row[column] as number) < 0);
        expect(negative, `${table}.${column}`).toEqual([]);
      }
    }
  });

  it('places every container in exactly one of hall and area, never on a carrier', () => {
    const misplaced = rowsOf('infrastructure_container').filter(
      (r) => r.carrier_id !== null || (r.hall_id === null) === (r.area_id === null),
    );
    expect(misplaced).toEqual([]);
    const misplacedFeed = rowsOf('infrastructure_feedcontainer').filter((r) => (r.hall_id === null) === (r.area_id === null));
    expect(misplacedFeed).toEqual([]);
  });

  it('builds 1,100 freshwater holding containers, 10 racks and 840 rings', () => {
    const containers = rowsOf('infrastructure_container');
    const count = (predicate: (r: AnyRow) => boolean): number => containers.filter(predicate).length;
    expect(count((r) => r.hall_id !== null && r.hierarchy_role === 'HOLDING')).toBe(1_100);
    expect(count((r) => r.hierarchy_role === 'STRUCTURAL')).toBe(10);
    expect(count((r) => r.area_id !== null && r.hierarchy_role === 'HOLDING')).toBe(840);
    expect(count((r) => r.parent_container_id !== null)).toBe(50);
  });

  it('stocks 110 silos and 126 barges of 50,000 kg', () => {
    const feedContainers = rowsOf('infrastructure_feedcontainer');
    const capacities = (kind: string): number[] => feedContainers.filter((r) => r.container_type === kind).map((r) => r.capacity_kg as number);
    expect(capacities('SILO')).toHaveLength(110);
    expect(new Set(capacities('SILO'))).toEqual(new Set([5_000, 10_000, 15_000, 20_000, 30_000]));
    expect(capacities('BARGE')).toEqual(Array<number>(126).fill(50_000));
  });

  it('gives FW holding containers 7 sensors, rings 4 and racks none', () => {
    const sensorsPerContainer = new Map<unknown, number>();
    for (const sensor of rowsOf('infrastructure_sensor')) {
      sensorsPerContainer.set(sensor.container_id, (sensorsPerContainer.get(sensor.container_id) ?? 0) + 1);
    }
    for (const container of rowsOf('infrastructure_container')) {
      const expected = container.hierarchy_role === 'STRUCTURAL' ? 0 : container.hall_id !== null ? 7 : 4;
      expect(sensorsPerContainer.get(container.id) ?? 0, String(container.name)).toBe(expected);
    }
  });

  it('names sensors as AquaMind did and types them with Sensor choices', () => {
    const sensors = rowsOf('infrastructure_sensor');
    expect(sensors.slice(0, 7).map((s) => [s.name, s.sensor_type, s.serial_number])).toEqual([
      ['FI-FW-01-A-C01-Temperature', 'TEMPERATURE', 'SN-2-TEM'],
      ['FI-FW-01-A-C01-DissolvedOxygen', 'OXYGEN', 'SN-2-DIS'],
      ['FI-FW-01-A-C01-pH', 'PH', 'SN-2-PH'],
      ['FI-FW-01-A-C01-CO2', 'CO2', 'SN-2-CO2'],
      ['FI-FW-01-A-C01-NO2', 'OTHER', 'SN-2-NO2'],
      ['FI-FW-01-A-C01-NO3', 'OTHER', 'SN-2-NO3'],
      ['FI-FW-01-A-C01-NH4', 'OTHER', 'SN-2-NH4'],
    ]);
    expect(sensors.at(-1)).toMatchObject({ name: 'S-SEA-20-Ring-20-Salinity', sensor_type: 'SALINITY', manufacturer: 'AquaSense' });
  });

  it('stamps every row with the establishment date, never the wall clock', () => {
    const midnight = timestamp(OPTIONS.establishedOn, '00:00');
    for (const table of emittedTables) {
      const columns = Object.entries(specOf(table).columns).filter(([, type]) => type.startsWith('timestamptz'));
      for (const row of rowsOf(table)) {
        for (const [column] of columns) {
          if (row[column] !== null) expect(row[column], `${table}.${column}`).toBe(midnight);
        }
      }
    }
  });

  it('buys the opening feed stock on the establishment date', () => {
    const purchases = rowsOf('inventory_feedpurchase');
    expect(new Set(purchases.map((p) => p.purchase_date))).toEqual(new Set([OPTIONS.establishedOn]));
    expect(new Set(purchases.map((p) => p.expiry_date))).toEqual(new Set([addDays(OPTIONS.establishedOn, 365)]));
    expect(purchases[0]).toMatchObject({ supplier: 'Skretting', batch_number: 'INIT-20230201-0001', quantity_kg: 5_000, cost_per_kg: 2.5, feed_id: 1 });
    expect(purchases.at(-1)).toMatchObject({ batch_number: 'INIT-20230201-0236', quantity_kg: 25_000, cost_per_kg: 2, feed_id: 5 });
    const total = rowsOf('inventory_feedcontainerstock').reduce((sum, s) => sum + (s.quantity_kg as number), 0);
    expect(total).toBe(3_700_000);
  });

  it('is deterministic: two builds emit deep-equal rows', () => {
    expect(emitted().rows).toEqual(sink.rows);
  });

  it('lets the seed change only the temperature noise and the password salt', () => {
    const other = emitted({ ...OPTIONS, seed: 'another seed' });
    for (const table of emittedTables) {
      if (table === 'scenario_temperaturereading' || table === 'auth_user' || table === 'auth_historicaluser') {
        expect(other.rows.get(table)).not.toEqual(sink.rows.get(table));
      } else {
        expect(other.rows.get(table), table).toEqual(sink.rows.get(table));
      }
    }
  });

  it('stores the users\' password as Django does, and admin / admin123 logs in as AquaMind\'s guides say', () => {
    const admin = rowsOf('auth_user').find((u) => u.username === 'admin')!;
    expect(admin).toMatchObject({ is_superuser: true, is_staff: true, is_active: true, email: 'admin@aquamind.test' });
    expect(admin.password).toMatch(/^pbkdf2_sha256\$600000\$[A-Za-z0-9]{22}\$[A-Za-z0-9+/]{43}=$/);
    expect(djangoVerify('admin123', admin.password as string)).toBe(true);
    expect(djangoVerify('aquamind2024', admin.password as string)).toBe(false);
    // Every user logs in with it; the salt is the farm's, from its seed.
    expect(rowsOf('auth_user').every((u) => djangoVerify('admin123', u.password as string))).toBe(true);
    expect((admin.password as string).split('$')[2]).toBe(passwordSalt(OPTIONS.seed));
    expect(passwordSalt('another seed')).not.toBe(passwordSalt(OPTIONS.seed));
  });

  it('stores another password a schedule gives', () => {
    const other = emitted({ ...OPTIONS, adminPassword: 's3cret pass' });
    const admin = other.of('auth_user').find((u) => u.username === 'admin')!;
    expect(djangoVerify('s3cret pass', admin.password)).toBe(true);
    expect(djangoVerify('admin123', admin.password)).toBe(false);
  });
});

/** Django's PBKDF2PasswordHasher.verify: decode `algorithm$iterations$salt$hash`, derive, compare in constant time. */
function djangoVerify(password: string, encoded: string): boolean {
  const [algorithm, iterations, salt, hash] = encoded.split('$') as [string, string, string, string];
  if (algorithm !== 'pbkdf2_sha256') return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = pbkdf2Sync(password, salt, Number(iterations), expected.length, 'sha256');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
