/**
 * The farm as AquaMind's own screens and models see it (issue 28), on real PostgreSQL:
 *
 * - a farm dated at a moment of the day (the clock injected) stamps nothing after it in any table,
 *   history included, and has not done what is due later that day (the 16:00 meal);
 * - the history tables follow each row's lifecycle: a batch `+` PLANNED, `~` ACTIVE, `~` at each
 *   stage, `~` COMPLETED; an assignment `+` on arrival, `~` on departure; a transfer workflow
 *   PLANNED → IN_PROGRESS → COMPLETED with its actions PENDING → COMPLETED;
 * - `admin` logs in with AquaMind's documented `admin123` (or the farm's adminPassword), checked
 *   as Django's PBKDF2PasswordHasher.verify does;
 * - every row meets the model constraints the catalog can express (CHECKs, NOT NULLs) and those
 *   transcribed from the models (choices, required NULL-able fields, clean() rules).
 */
import { pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { seedFarm, type Farm } from '../../src/index.js';
import { tables, type TableName } from '../../src/schema/tables/index.js';
import type { TableSpec } from '../../src/schema/table.js';
import { FORWARD_LOOKING_COLUMNS } from '../../src/engine/forward-dates.js';

/** The moment the tiny farm is seeded at: `now` is the start of its hour. */
const CLOCK = new Date('2026-03-02T11:33:00Z');
const NOW = '2026-03-02T11:00:00Z';
const TINY_PASSWORD = 'tiny farm pass';

let tiny: Farm;
let single: Farm;

beforeAll(async () => {
  tiny = await seedFarm({ preset: 'tiny', asOf: 'now', clock: () => CLOCK, adminPassword: TINY_PASSWORD, cache: false });
  single = await seedFarm({ preset: 'single-batch' });
});

afterAll(async () => {
  await tiny?.close();
  await single?.close();
});

const rowsOf = async <R>(farm: Farm, query: string): Promise<R[]> => (await sql.raw<R>(query).execute(farm.db)).rows;
const stampColumns = (table: TableName) =>
  Object.entries(tables[table].columns).filter(([, type]) => type.startsWith('date') || type.startsWith('timestamptz'));

describe('a farm dated at a moment of the day', () => {
  it('says which instant it is dated at', () => {
    expect(tiny.schedule).toMatchObject({ asOf: '2026-03-02', asOfTime: '11:00:00' });
    expect(tiny.summary.asOf).toBe(NOW);
  });

  it('stamps nothing after that instant in any table, history included (but dates that look forward by meaning)', async () => {
    const forward = new Set(FORWARD_LOOKING_COLUMNS);
    const checks = (Object.keys(tables) as TableName[]).flatMap((table) =>
      stampColumns(table)
        .filter(([column]) => !forward.has(`${table}.${column}`))
        .map(([column, type]) =>
          type.startsWith('date')
            ? `SELECT '${table}.${column}' AS at, count(*)::int AS n FROM "${table}" WHERE "${column}" > DATE '${NOW.slice(0, 10)}'`
            : `SELECT '${table}.${column}' AS at, count(*)::int AS n FROM "${table}" WHERE "${column}" > TIMESTAMPTZ '${NOW}'`,
        ),
    );
    expect(checks.length).toBeGreaterThan(150);
    const late = await rowsOf<{ at: string; n: number }>(tiny, `SELECT * FROM (${checks.join(' UNION ALL ')}) c WHERE n > 0`);
    expect(late).toEqual([]);
    // The scan covers what was written today: readings up to 10:00, the morning meal, the history rows.
    const [today] = await rowsOf<{ readings: number; history: number }>(
      tiny,
      `SELECT (SELECT count(*)::int FROM environmental_environmentalreading WHERE reading_time >= DATE '2026-03-02') AS readings,
              (SELECT count(*)::int FROM batch_historicalbatch) AS history`,
    );
    expect(today!.readings).toBeGreaterThan(0);
    expect(today!.history).toBeGreaterThan(4);
  });

  it('has fed the 08:00 meal of the day and not the 16:00 one, which is due later', async () => {
    const meals = await rowsOf<{ time: string; n: number }>(
      tiny,
      `SELECT to_char(feeding_time, 'HH24:MI') AS time, count(*)::int AS n FROM inventory_feedingevent
        WHERE feeding_date = DATE '2026-03-02' GROUP BY 1 ORDER BY 1`,
    );
    expect(meals.map((m) => m.time)).toEqual(['08:00']);
    const [yesterday] = await rowsOf<{ n: number }>(
      tiny,
      `SELECT count(DISTINCT feeding_time)::int AS n FROM inventory_feedingevent WHERE feeding_date = DATE '2026-03-01'`,
    );
    expect(yesterday!.n).toBe(2);
  });
});

describe('history that follows the lifecycle', () => {
  interface BatchHistory {
    id: number;
    history_type: string;
    status: string;
    lifecycle_stage_id: number;
    history_date: string;
  }

  it('writes per batch `+` PLANNED, `~` ACTIVE, `~` at each stage and `~` COMPLETED for a harvested one, in time order', async () => {
    for (const farm of [single, tiny]) {
      const rows = await rowsOf<BatchHistory>(
        farm,
        `SELECT id::int, history_type, status, lifecycle_stage_id::int, to_char(history_date AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS history_date
           FROM batch_historicalbatch ORDER BY id, history_date, history_id`,
      );
      const batches = await rowsOf<{ id: number; status: string; lifecycle_stage_id: number }>(farm, `SELECT id::int, status, lifecycle_stage_id::int FROM batch_batch`);
      expect(batches.length).toBeGreaterThan(0);
      for (const batch of batches) {
        const life = rows.filter((r) => r.id === batch.id);
        const statuses = life.map((r) => `${r.history_type} ${r.status}`);
        expect(statuses[0]).toBe('+ PLANNED');
        expect(statuses[1]).toBe('~ ACTIVE');
        // Each stage change is one save; the batch's stage only ever moves on.
        const stages = life.slice(1).map((r) => r.lifecycle_stage_id);
        expect(stages).toEqual([...stages].sort((a, b) => a - b));
        expect(new Set(stages).size).toBe(stages.at(-1)! - stages[0]! + 1);
        if (batch.status === 'COMPLETED') {
          expect(statuses.at(-1)).toBe('~ COMPLETED');
          expect(statuses.filter((s) => s === '~ COMPLETED')).toHaveLength(1);
        } else {
          expect(statuses.every((s) => !s.endsWith('COMPLETED'))).toBe(true);
        }
        expect(life.at(-1)!.lifecycle_stage_id).toBe(batch.lifecycle_stage_id);
      }
    }
    const [harvested] = await rowsOf<{ n: number }>(single, `SELECT count(*)::int AS n FROM batch_batch WHERE status = 'COMPLETED'`);
    expect(harvested!.n).toBe(1);
  });

  it('opens each assignment with `+` on arrival and closes it with one `~` on departure, the base row its last state', async () => {
    for (const farm of [single, tiny]) {
      const mismatched = await rowsOf<{ id: number }>(
        farm,
        `SELECT a.id::int FROM batch_batchcontainerassignment a
           JOIN LATERAL (SELECT array_agg(h.history_type ORDER BY h.history_date, h.history_id) AS types,
                                bool_and(h.history_date <= a.updated_at) AS in_time,
                                (array_agg(h.departure_date ORDER BY h.history_date DESC, h.history_id DESC))[1] AS last_departure,
                                (array_agg(h.is_active ORDER BY h.history_date, h.history_id))[1] AS arrived_active
                           FROM batch_historicalbatchcontainerassignment h WHERE h.id = a.id) h ON true
          WHERE NOT h.in_time OR NOT h.arrived_active
             OR h.types <> (CASE WHEN a.is_active THEN ARRAY['+'] ELSE ARRAY['+', '~'] END)::varchar[]
             OR h.last_departure IS DISTINCT FROM a.departure_date`,
      );
      expect(mismatched).toEqual([]);
    }
    const [counts] = await rowsOf<{ closed: number; open: number }>(
      single,
      `SELECT count(*) FILTER (WHERE NOT is_active)::int AS closed, count(*) FILTER (WHERE is_active)::int AS open FROM batch_batchcontainerassignment`,
    );
    expect(counts).toEqual({ closed: 70, open: 0 });
  });

  it('runs each transfer workflow PLANNED → IN_PROGRESS → COMPLETED and each action PENDING → COMPLETED, in time order', async () => {
    const workflows = await rowsOf<{ id: number; statuses: string[] }>(
      single,
      `SELECT id::int, array_agg(history_type || ' ' || status ORDER BY history_date, history_id) AS statuses
         FROM batch_historicalbatchtransferworkflow GROUP BY id ORDER BY id`,
    );
    expect(workflows).toHaveLength(5);
    for (const w of workflows) expect(w.statuses).toEqual(['+ PLANNED', '~ IN_PROGRESS', '~ COMPLETED']);
    const actions = await rowsOf<{ statuses: string[]; n: number }>(
      single,
      `SELECT statuses, count(*)::int AS n FROM (
         SELECT array_agg(history_type || ' ' || status ORDER BY history_date, history_id) AS statuses
           FROM batch_historicaltransferaction GROUP BY id) a GROUP BY 1`,
    );
    expect(actions).toEqual([{ statuses: ['+ PENDING', '~ COMPLETED'], n: 60 }]);
    const creation = await rowsOf<{ statuses: string[] }>(
      single,
      `SELECT array_agg(history_type || ' ' || status ORDER BY history_date, history_id) AS statuses FROM batch_historicalbatchcreationworkflow GROUP BY id`,
    );
    expect(creation).toEqual([{ statuses: ['+ IN_PROGRESS', '~ COMPLETED'] }]);
    // Treatments are pending until their duration is over; the engine's changes are system_admin's.
    const [treatments] = await rowsOf<{ done: number; users: string[] }>(
      single,
      `SELECT count(*) FILTER (WHERE history_type = '~' AND outcome = 'successful')::int AS done,
              array_agg(DISTINCT u.username) AS users
         FROM health_historicaltreatment h JOIN auth_user u ON u.id = h.history_user_id`,
    );
    const [treated] = await rowsOf<{ n: number }>(single, `SELECT count(*)::int AS n FROM health_treatment`);
    expect(treatments).toEqual({ done: treated!.n, users: ['system_admin'] });
  });
});

describe('the login AquaMind documents', () => {
  it('is admin / admin123, a superuser, checked as Django checks a password', async () => {
    const [admin] = await rowsOf<{ password: string; is_superuser: boolean; is_staff: boolean; is_active: boolean }>(
      single,
      `SELECT password, is_superuser, is_staff, is_active FROM auth_user WHERE username = 'admin'`,
    );
    expect(admin).toMatchObject({ is_superuser: true, is_staff: true, is_active: true });
    expect(admin!.password).toMatch(/^pbkdf2_sha256\$600000\$[A-Za-z0-9]{22}\$/);
    expect(djangoCheckPassword('admin123', admin!.password)).toBe(true);
    expect(djangoCheckPassword('aquamind2024', admin!.password)).toBe(false);
  });

  it('is the farm’s adminPassword when a suite gives another', async () => {
    const users = await rowsOf<{ username: string; password: string }>(tiny, `SELECT username, password FROM auth_user ORDER BY id`);
    expect(users.map((u) => u.username)).toContain('admin');
    expect(users.every((u) => djangoCheckPassword(TINY_PASSWORD, u.password))).toBe(true);
    expect(djangoCheckPassword('admin123', users.find((u) => u.username === 'admin')!.password)).toBe(false);
  });
});

describe('every row valid for AquaMind’s models', () => {
  const catalog = (file: string) =>
    readFileSync(fileURLToPath(new URL(`../fixtures/aquamind-cb410300/${file}`, import.meta.url)), 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => line.split('\t'));
  const written = new Set(Object.keys(tables));

  it.each([
    ['single-batch', () => single],
    ['tiny', () => tiny],
  ])('%s meets every CHECK and NOT NULL of AquaMind’s catalog on the tables it writes', async (_, farm) => {
    const checks = catalog('constraints.tsv')
      .filter(([table, , definition]) => written.has(table!) && definition!.startsWith('CHECK '))
      .map(([table, name, definition]) => `SELECT '${name}' AS rule, count(*)::int AS n FROM "${table}" WHERE NOT ${definition!.slice('CHECK '.length)}`);
    const notNull = catalog('columns.tsv')
      .filter(([table, , , nullable]) => written.has(table!) && nullable === 'NO')
      .map(([table, column]) => `SELECT '${table}.${column} IS NULL' AS rule, count(*)::int AS n FROM "${table}" WHERE "${column}" IS NULL`);
    expect(checks.length).toBeGreaterThan(50);
    expect(notNull.length).toBeGreaterThan(1000);
    const broken = await rowsOf<{ rule: string; n: number }>(farm(), `SELECT * FROM (${[...checks, ...notNull].join(' UNION ALL ')}) c WHERE n > 0`);
    expect(broken).toEqual([]);
  });

  it.each([
    ['single-batch', () => single],
    ['tiny', () => tiny],
  ])('%s meets what only the models say: choices, required NULL-able fields and clean() rules', async (_, farm) => {
    const rules: string[] = [];
    for (const spec of Object.values(tables) as TableSpec[]) {
      for (const [column, choices] of Object.entries(spec.choices ?? {})) {
        const list = choices.map((c) => `'${c.replace(/'/g, "''")}'`).join(', ');
        rules.push(`SELECT '${spec.name}.${column} not a choice' AS rule, count(*)::int AS n FROM "${spec.name}" WHERE "${column}"::text NOT IN (${list})`);
      }
      for (const column of spec.modelRequired ?? []) {
        rules.push(`SELECT '${spec.name}.${column} required by the model' AS rule, count(*)::int AS n FROM "${spec.name}" WHERE "${column}" IS NULL`);
      }
    }
    rules.push(...CLEAN_RULES.map(([rule, where]) => `SELECT '${rule}' AS rule, count(*)::int AS n FROM ${where}`));
    expect(rules.length).toBeGreaterThan(60);
    const broken = await rowsOf<{ rule: string; n: number }>(farm(), `SELECT * FROM (${rules.join(' UNION ALL ')}) c WHERE n > 0`);
    expect(broken).toEqual([]);
  });
});

/**
 * The models' clean() and validators, as "rows that break the rule" (AquaMind cb410300). Rules
 * that hold only when a row is created (TransferAction.clean's "the workflow accepts actions") are
 * not rules of the stored row: docs/aquamind.md.
 */
const CLEAN_RULES: readonly (readonly [string, string])[] = [
  ['BatchCreationWorkflow.clean: EXTERNAL eggs need a supplier and no egg production',
    `batch_creationworkflow WHERE (egg_source_type = 'EXTERNAL' AND (external_supplier_id IS NULL OR egg_production_id IS NOT NULL))
       OR (egg_source_type = 'INTERNAL' AND (egg_production_id IS NULL OR external_supplier_id IS NOT NULL))`],
  ['CreationAction.egg_quality_score: 1-5', `batch_creationaction WHERE egg_quality_score NOT BETWEEN 1 AND 5`],
  ['TransferAction.clean: transferred_count > 0', `batch_transferaction WHERE transferred_count <= 0`],
  ['TransferAction.clean: destination assignment and container match',
    `batch_transferaction t JOIN batch_batchcontainerassignment d ON d.id = t.dest_assignment_id WHERE t.dest_container_id IS NOT NULL AND d.container_id <> t.dest_container_id`],
  ['TransferAction.clean: a destination', `batch_transferaction WHERE dest_assignment_id IS NULL AND dest_container_id IS NULL`],
  ['BatchTransferWorkflow.completion_percentage: 0-100', `batch_batchtransferworkflow WHERE completion_percentage NOT BETWEEN 0 AND 100`],
  ['CostCenter.clean: parent of the same company',
    `finance_core_costcenter c JOIN finance_core_costcenter p ON p.cost_center_id = c.parent_id WHERE p.company_id <> c.company_id`],
  ['CostCenter.clean: site of the same company',
    `finance_core_costcenter c JOIN finance_dimsite s ON s.site_id = c.site_id WHERE s.company_id <> c.company_id`],
  ['CostCenterBatchLink.clean: a PROJECT cost center',
    `finance_core_costcenterbatchlink l JOIN finance_core_costcenter c ON c.cost_center_id = l.cost_center_id WHERE c.cost_center_type <> 'PROJECT'`],
  ['IntercompanyPolicy.clean: pricing basis and its reference',
    `finance_intercompanypolicy WHERE (pricing_basis = 'grade' AND (product_grade_id IS NULL OR lifecycle_stage_id IS NOT NULL))
       OR (pricing_basis = 'lifecycle' AND (lifecycle_stage_id IS NULL OR product_grade_id IS NOT NULL))
       OR (pricing_basis = 'egg_delivery' AND (price_per_thousand_eggs IS NULL OR product_grade_id IS NOT NULL OR lifecycle_stage_id IS NOT NULL))
       OR (method = 'standard' AND pricing_basis = 'lifecycle' AND price_per_kg IS NULL)`],
  ['StageConstraint.clean: min_weight_g < max_weight_g and min_temperature_c < max_temperature_c',
    `scenario_stage_constraint WHERE min_weight_g >= max_weight_g OR (min_temperature_c IS NOT NULL AND max_temperature_c IS NOT NULL AND min_temperature_c >= max_temperature_c)`],
  ['Scenario.clean: initial_weight at least 0.1 g without constraints', `scenario WHERE biological_constraints_id IS NULL AND initial_weight < 0.1`],
  ['Scenario: duration_days and initial_count at least 1', `scenario WHERE duration_days < 1 OR initial_count < 1`],
  ['FCRModelStage.duration_days at least 1', `scenario_fcrmodelstage WHERE duration_days < 1`],
  ['MortalityModel.rate 0-100', `scenario_mortalitymodel WHERE rate < 0 OR rate > 100`],
  ['LiceCount.clean: a typed count leaves the legacy columns 0',
    `health_licecount WHERE lice_type_id IS NOT NULL AND (adult_female_count <> 0 OR adult_male_count <> 0 OR juvenile_count <> 0)`],
  ['FeedingEvent.amount_kg and batch_biomass_kg at least 0.01', `inventory_feedingevent WHERE amount_kg < 0.01 OR batch_biomass_kg < 0.01`],
];

/** Django's PBKDF2PasswordHasher.verify: decode `algorithm$iterations$salt$hash`, derive the key, compare in constant time. */
function djangoCheckPassword(password: string, encoded: string): boolean {
  const [algorithm, iterations, salt, hash] = encoded.split('$') as [string, string, string, string];
  if (algorithm !== 'pbkdf2_sha256' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = pbkdf2Sync(password, salt, Number(iterations), expected.length, 'sha256');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
