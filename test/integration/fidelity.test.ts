/**
 * Engine fidelity on a real (embedded) PostgreSQL: after `seedFarm('single-batch')` every table
 * AquaMind's generator wrote has rows, the per-batch volume formulas hold (toMatchPresetVolumes),
 * and the growth analysis, scenario, health and finance figures are in their documented ranges.
 * A second farm, the same batch stopped in Fry on day 100, carries what only ACTIVE batches get:
 * planned activities, live forward projections and forecast summaries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type RawBuilder } from 'kysely';
import { seedFarm, type Farm } from '../../src/index.js';
import type { TableName } from '../../src/schema/tables/index.js';
import { addDays } from '../../src/core/time.js';
import { planSchedule } from '../../src/preset-files/resolve.js';
import { aquaseedMatchers, type AquaseedMatchers } from '../../fixtures/matchers.js';

expect.extend(aquaseedMatchers);
type FarmAssertion = AquaseedMatchers<Promise<void>> & { not: AquaseedMatchers<Promise<void>> };
const expectFarm = (target: unknown) => expect(target) as unknown as FarmAssertion;

/**
 * Schema notes §1: every table the generator (its scripts, signals and follow-up jobs) writes,
 * except the three only ACTIVE batches get (checked on the second farm), the FK-only
 * transport carrier and the read-only period lock.
 */
const WRITTEN_BY_THE_GENERATOR: readonly TableName[] = [
  'infrastructure_geography', 'infrastructure_areagroup', 'infrastructure_area', 'infrastructure_freshwaterstation',
  'infrastructure_hall', 'infrastructure_containertype', 'infrastructure_container', 'infrastructure_sensor',
  'infrastructure_feedcontainer', 'batch_species', 'batch_lifecyclestage', 'batch_batch', 'batch_batchcontainerassignment',
  'batch_creationworkflow', 'batch_creationaction', 'batch_batchtransferworkflow', 'batch_transferaction',
  'batch_mortalityevent', 'batch_growthsample', 'batch_individualgrowthobservation', 'batch_actualdailyassignmentstate',
  'broodstock_eggsupplier', 'inventory_feed', 'inventory_feedpurchase', 'inventory_feedcontainerstock',
  'inventory_feedingevent', 'inventory_containerfeedingsummary', 'inventory_batchfeedingsummary',
  'environmental_environmentalparameter', 'environmental_environmentalreading', 'health_journalentry',
  'health_healthsamplingevent', 'health_individualfishobservation', 'health_fishparameterscore', 'health_healthparameter',
  'health_parameterscoredefinition', 'health_mortalityreason', 'health_licecount', 'health_licetype', 'health_treatment',
  'health_vaccinationtype', 'scenario_temperatureprofile', 'scenario_temperaturereading', 'scenario_tgcmodel',
  'scenario_fcrmodel', 'scenario_fcrmodelstage', 'scenario_mortalitymodel', 'scenario', 'scenario_projection_run',
  'scenario_scenarioprojection', 'scenario_biological_constraints', 'scenario_stage_constraint', 'finance_dimcompany',
  'finance_dimsite', 'finance_intercompanypolicy', 'finance_factharvest', 'finance_intercompanytransaction',
  'harvest_productgrade', 'harvest_harvestevent', 'harvest_harvestlot', 'planning_activitytemplate', 'auth_user',
  'users_userprofile', 'finance_core_costcenter', 'finance_core_costcenterbatchlink', 'django_content_type',
];

/** History tables the notes list as receiving rows from the generator, for this farm. */
const HISTORY_WRITTEN: readonly TableName[] = [
  'batch_historicalbatch', 'batch_historicalbatchcontainerassignment', 'batch_historicalbatchcreationworkflow',
  'batch_historicalcreationaction', 'batch_historicalbatchtransferworkflow', 'batch_historicaltransferaction',
  'batch_historicalmortalityevent', 'batch_historicalgrowthsample', 'batch_historicalindividualgrowthobservation',
  'batch_historicallifecyclestage', 'broodstock_historicaleggsupplier', 'inventory_historicalfeedpurchase',
  'inventory_historicalfeedcontainerstock', 'inventory_historicalfeedingevent', 'inventory_historicalcontainerfeedingsummary',
  'inventory_historicalbatchfeedingsummary', 'health_historicaljournalentry', 'health_historicalhealthsamplingevent',
  'health_historicallicecount', 'health_historicaltreatment', 'health_historicalhealthparameter',
  'health_historicalparameterscoredefinition', 'harvest_historicalharvestevent', 'harvest_historicalharvestlot',
  'finance_historicalfactharvest', 'finance_historicalintercompanypolicy', 'users_historicaluserprofile', 'auth_historicaluser',
  'finance_core_historicalcostcenter', 'finance_core_historicalcostcenterbatchlink', 'infrastructure_historicalgeography',
  'infrastructure_historicalareagroup', 'infrastructure_historicalarea', 'infrastructure_historicalfreshwaterstation',
  'infrastructure_historicalhall', 'infrastructure_historicalcontainertype', 'infrastructure_historicalcontainer',
  'infrastructure_historicalsensor', 'infrastructure_historicalfeedcontainer',
];

let farm: Farm;
let active: Farm;

beforeAll(async () => {
  farm = await seedFarm('single-batch');
  const schedule = planSchedule('single-batch');
  active = await seedFarm({ schedule: { ...schedule, asOf: addDays(schedule.batches[0]!.startDate, 100) } });
});

afterAll(async () => {
  await farm?.close();
  await active?.close();
});

const one = async <T>(target: Farm, query: RawBuilder<T>): Promise<T> => (await query.execute(target.db)).rows[0]!;

describe('a single-batch farm', () => {
  it('has rows in every table AquaMind’s generator wrote, and in their history tables', async () => {
    const counts = await farm.counts();
    expect(WRITTEN_BY_THE_GENERATOR.filter((table) => !(counts[table] > 0))).toEqual([]);
    expect(HISTORY_WRITTEN.filter((table) => !(counts[table] > 0))).toEqual([]);
    expect(counts.health_historicalfishparameterscore).toBe(0); // bulk-created in AquaMind: no history
  });

  it('matches the per-batch volume formulas', async () => {
    await expectFarm(farm).toMatchPresetVolumes();
    await expectFarm(farm).toPassAllChecks();
  });

  it('writes 75 fish per health sampling event and a score per fish per active parameter', async () => {
    const row = await one(
      farm,
      sql<{ events: number; fish: number; scores: number; parameters: number; k_min: number; k_max: number }>`
        SELECT (SELECT count(*) FROM health_healthsamplingevent)::int AS events,
               (SELECT count(*) FROM health_individualfishobservation)::int AS fish,
               (SELECT count(*) FROM health_fishparameterscore)::int AS scores,
               (SELECT count(*) FROM health_healthparameter WHERE is_active)::int AS parameters,
               (SELECT min(avg_k_factor) FROM health_healthsamplingevent)::float8 AS k_min,
               (SELECT max(avg_k_factor) FROM health_healthsamplingevent)::float8 AS k_max`,
    );
    expect(row.events).toBeGreaterThanOrEqual(14);
    expect(row.fish).toBe(75 * row.events);
    expect(row.scores).toBe(row.fish * row.parameters);
    expect(row.k_min).toBeGreaterThan(1.0);
    expect(row.k_max).toBeLessThan(1.4);
  });

  it('keeps one daily state per assignment-day and counts the fish once on day 91', async () => {
    const row = await one(
      farm,
      sql<{ rows: number; distinct_days: number; day91: number }>`
        SELECT count(*)::int AS rows, count(DISTINCT (assignment_id, date))::int AS distinct_days,
               (SELECT sum(population) FROM batch_actualdailyassignmentstate WHERE day_number = 91)::int AS day91
        FROM batch_actualdailyassignmentstate`,
    );
    expect(row.distinct_days).toBe(row.rows);
    expect(row.day91).toBeGreaterThanOrEqual(2_800_000);
    expect(row.day91).toBeLessThanOrEqual(3_200_000);
    await expectFarm(farm).toHavePopulationAtDay(91, { min: 2_800_000, max: 3_200_000 });
  });

  it('projects the baseline scenario 900 days to 5-7.5 kg', async () => {
    const row = await one(
      farm,
      sql<{ projections: number; final_weight: number; last_weight: number }>`
        SELECT (SELECT count(*) FROM scenario_scenarioprojection)::int AS projections,
               r.final_weight_g AS final_weight,
               (SELECT average_weight FROM scenario_scenarioprojection p WHERE p.projection_run_id = r.run_id AND p.day_number = 900) AS last_weight
        FROM scenario_projection_run r`,
    );
    expect(row.projections).toBe(900);
    expect(row.final_weight).toBe(row.last_weight);
    expect(row.final_weight).toBeGreaterThanOrEqual(5_000);
    expect(row.final_weight).toBeLessThanOrEqual(7_500);
  });

  it('books harvest facts on the harvested area’s site and prices both intercompany sales', async () => {
    const row = await one(
      farm,
      sql<{ facts: number; wrong_site: number; sales: number; smolt: number; linked: number }>`
        SELECT (SELECT count(*) FROM finance_factharvest)::int AS facts,
               (SELECT count(*) FROM finance_factharvest f
                  JOIN harvest_harvestevent e ON e.id = f.event_id
                  JOIN batch_batchcontainerassignment a ON a.id = e.assignment_id
                  JOIN infrastructure_container c ON c.id = a.container_id
                  JOIN finance_dimsite s ON s.site_id = f.dim_site_id
                 WHERE s.source_model <> 'area' OR s.source_pk <> c.area_id)::int AS wrong_site,
               (SELECT count(*) FROM finance_intercompanytransaction t JOIN django_content_type ct ON ct.id = t.content_type_id
                 WHERE ct.app_label = 'harvest' AND ct.model = 'harvestevent' AND t.amount > 0)::int AS sales,
               (SELECT count(*) FROM finance_intercompanytransaction t JOIN django_content_type ct ON ct.id = t.content_type_id
                 WHERE ct.app_label = 'batch' AND ct.model = 'batchtransferworkflow')::int AS smolt,
               (SELECT count(*) FROM batch_batchtransferworkflow WHERE finance_transaction_id IS NOT NULL)::int AS linked`,
    );
    expect(row.facts).toBe(100);
    expect(row.wrong_site).toBe(0);
    expect(row.sales).toBe(100);
    expect(row).toMatchObject({ smolt: 1, linked: 1 });
  });

  it('counts fewer lice after a bath treatment than before it', async () => {
    const { rows } = await sql<{ adult_day: number; before: number; after: number }>`
      WITH baths AS (
        SELECT DISTINCT (treatment_date AT TIME ZONE 'UTC')::date AS day FROM health_treatment WHERE treatment_type = 'physical'
      )
      SELECT b.day - bt.start_date - 450 AS adult_day,
             (SELECT sum(count_value)::float8 / count(DISTINCT (container_id, count_date)) FROM health_licecount
               WHERE (count_date AT TIME ZONE 'UTC')::date BETWEEN b.day - 28 AND b.day - 1) AS before,
             (SELECT sum(count_value)::float8 / count(DISTINCT (container_id, count_date)) FROM health_licecount
               WHERE (count_date AT TIME ZONE 'UTC')::date BETWEEN b.day + 1 AND b.day + 14) AS after
      FROM baths b CROSS JOIN batch_batch bt ORDER BY b.day`.execute(farm.db);
    expect(rows.map((r) => r.adult_day)).toEqual([150, 270]);
    for (const r of rows) expect(r.after).toBeLessThan(r.before * 0.5);
  });

  it('fails toMatchPresetVolumes, naming the batch and the table, when a table is short', async () => {
    await expect(
      farm.db.transaction().execute(async (trx) => {
        await sql`DELETE FROM health_fishparameterscore WHERE id IN (SELECT id FROM health_fishparameterscore LIMIT 9)`.execute(trx);
        await expectFarm(trx).toMatchPresetVolumes();
      }),
    ).rejects.toThrow(/FAR-2023-001: health_fishparameterscore has 10,116 rows, expected 10,125/);
  });
});

describe('the same batch, still in Fry on day 100', () => {
  it('has its planned activities, live forward projections and forecast summaries, and is pinned to its projection', async () => {
    const counts = await active.counts();
    expect(counts.planning_plannedactivity).toBe(20);
    expect(counts.batch_containerforecastsummary).toBe(10);
    expect(counts.batch_liveforwardprojection).toBeGreaterThan(20);
    // Created PENDING (`+`), and a `~` for each the farm has completed by asOf.
    const completed = await active.db.selectFrom('planning_plannedactivity').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'COMPLETED').executeTakeFirstOrThrow();
    expect(Number(completed.n)).toBeGreaterThan(0);
    expect(counts.planning_historicalplannedactivity).toBe(20 + Number(completed.n));
    const batch = await active.db.selectFrom('batch_batch').select(['status', 'pinned_projection_run_id']).executeTakeFirstOrThrow();
    const run = await active.db.selectFrom('scenario_projection_run').select('run_id').executeTakeFirstOrThrow();
    expect(batch).toEqual({ status: 'ACTIVE', pinned_projection_run_id: run.run_id });
    await expectFarm(active).toMatchPresetVolumes();
  });
});
