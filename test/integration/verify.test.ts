/**
 * The checks and matchers against a real seeded farm (single-batch, embedded PostgreSQL): the
 * seeded data passes every check, and each check fails, naming the batch, once the database is
 * tampered with. Every tamper runs inside a transaction that is rolled back, so the cases are
 * independent of each other and of their order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { seedFarm, type Farm } from '../../src/index.js';
import { tables, type Database } from '../../src/schema/tables/index.js';
import {
  containerConflicts,
  environmentalLinkage,
  fcr,
  feedingLinkage,
  feedStock,
  harvestWeight,
  mortalityLinkage,
  populationAtDay,
  stageCoverage,
  survival,
  verifyFarm,
  type FarmTarget,
} from '../../src/verify/index.js';
import { aquaseedMatchers, type AquaseedMatchers } from '../../fixtures/matchers.js';

expect.extend(aquaseedMatchers);
type FarmAssertion = AquaseedMatchers<Promise<void>> & { not: AquaseedMatchers<Promise<void>> };
/** expect() typed with the farm matchers, without augmenting Vitest's global types from a test. */
const expectFarm = (target: FarmTarget) => expect(target) as unknown as FarmAssertion;

interface Assignment {
  id: number;
  container_id: number;
  container: string;
  order: number;
  assignment_date: string;
  departure_date: string | null;
}

let farm: Farm;
let batchId: number;
let batchNumber: string;
let startDate: string;
let assignments: Assignment[];

beforeAll(async () => {
  farm = await seedFarm('single-batch');
  const batch = await farm.db.selectFrom('batch_batch').select(['id', 'batch_number', 'start_date']).executeTakeFirstOrThrow();
  batchId = batch.id;
  batchNumber = batch.batch_number;
  startDate = batch.start_date;
  assignments = await farm.db
    .selectFrom('batch_batchcontainerassignment as a')
    .innerJoin('batch_lifecyclestage as s', 's.id', 'a.lifecycle_stage_id')
    .innerJoin('infrastructure_container as c', 'c.id', 'a.container_id')
    .select(['a.id', 'a.container_id', 'c.name as container', 's.order', 'a.assignment_date', 'a.departure_date'])
    .where('a.batch_id', '=', batchId)
    .orderBy('s.order')
    .orderBy('c.name')
    .execute();
});

afterAll(async () => {
  await farm?.close();
});

const ROLLBACK = Symbol('rollback');

/** Runs `tamper` then `check` in one transaction, rolls it back, and returns what `check` returned. */
async function tampered<T>(tamper: (db: Kysely<Database>) => Promise<unknown>, check: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  let result: { value: T } | null = null;
  try {
    await farm.db.transaction().execute(async (trx) => {
      await tamper(trx);
      result = { value: await check(trx) };
      throw ROLLBACK;
    });
  } catch (error) {
    if (error !== ROLLBACK) throw error;
  }
  if (!result) throw new Error('the check did not run');
  return (result as { value: T }).value;
}

function stage(order: number): Assignment[] {
  return assignments.filter((a) => a.order === order);
}

function first<T>(items: readonly T[], what: string): T {
  const item = items[0];
  if (item === undefined) throw new Error(`no ${what} in the seeded farm`);
  return item;
}

/** Copies a row (all columns but id), with some columns changed; returns the new id. */
async function copyRow(
  db: Kysely<Database>,
  table: 'batch_batch' | 'batch_batchcontainerassignment',
  id: number,
  changes: Record<string, string | number | boolean | null>,
): Promise<number> {
  const spec: Record<string, string> = tables[table].columns;
  const columns = Object.keys(spec).filter((column) => column !== 'id');
  // Parameters in an INSERT … SELECT list arrive untyped: cast each to its column's type.
  const values = columns.map((column) =>
    column in changes ? sql`CAST(${changes[column]} AS ${sql.raw((spec[column] as string).replace('?', ''))})` : sql.ref(column),
  );
  const { rows } = await sql<{ id: number }>`
    INSERT INTO ${sql.table(table)} (${sql.join(columns.map((column) => sql.ref(column)))})
    SELECT ${sql.join(values)} FROM ${sql.table(table)} WHERE id = ${id}
    RETURNING id`.execute(db);
  return first(rows, `${table} ${id}`).id;
}

/** A second batch, a copy of the seeded one under another number. */
function secondBatch(db: Kysely<Database>): Promise<number> {
  return copyRow(db, 'batch_batch', batchId, { batch_number: 'FAR-2023-999' });
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

describe('the seeded farm', () => {
  it('passes every check', async () => {
    const report = await verifyFarm(farm);
    expect(report.checks.filter((check) => !check.pass)).toEqual([]);
    expect(report.checks.filter((check) => check.skipped)).toEqual([]);
    expect(report.pass).toBe(true);
  });

  it('passes every matcher', async () => {
    await expectFarm(farm).toHaveSurvivalWithin(0.83, 0.87);
    await expectFarm(farm).toHaveFcrWithin(0.9, 3.0);
    await expectFarm(farm).toHavePopulationAtDay(91, { min: 2_800_000, max: 3_200_000 });
    await expectFarm(farm).toHaveFullEnvironmentalLinkage();
    await expectFarm(farm).toHaveNoContainerConflicts();
    await expectFarm(farm).toHaveHarvestWeightsWithin(4.5, 6.5);
    await expectFarm(farm).toHaveAllStages();
    await expectFarm(farm).toHaveNonNegativeFeedStock();
    await expectFarm(farm).toPassAllChecks();
  });

  it('fails a .not matcher on a good farm, explaining why it passed', async () => {
    await expect(expectFarm(farm).not.toHaveSurvivalWithin(0.83, 0.87)).rejects.toThrow(
      new RegExp(`expected the farm to fail the survival check \\(expected 83\\.0-87\\.0 %\\), but it passed: all 1 batch within 83\\.0-87\\.0 %; closest to the edge: batch ${batchNumber} at`),
    );
    await expect(expectFarm(farm).not.toHaveNoContainerConflicts()).rejects.toThrow('but it passed: all 1 batch at 0');
  });

  it('computes survival and day-91 population as independent queries do', async () => {
    const eggs = await farm.db.selectFrom('batch_creationworkflow').select((eb) => eb.fn.sum<number>('total_eggs_received').as('n')).executeTakeFirstOrThrow();
    const fish = await farm.db.selectFrom('harvest_harvestlot').select((eb) => eb.fn.sum<number>('unit_count').as('n')).executeTakeFirstOrThrow();
    const deaths = await farm.db
      .selectFrom('batch_mortalityevent')
      .select((eb) => eb.fn.sum<number>('count').as('n'))
      .where('event_date', '<', addDays(startDate, 90))
      .executeTakeFirstOrThrow();
    const surv = await survival(farm);
    expect(surv.perBatch).toEqual([{ batchNumber, value: Number(fish.n) / Number(eggs.n), pass: true }]);
    const day91 = await populationAtDay(farm, { day: 91 });
    expect(day91.perBatch).toEqual([{ batchNumber, value: Number(eggs.n) - Number(deaths.n), pass: true }]);
  });

  it('opens and closes its own pool for a URL', async () => {
    const connections = async () =>
      Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()`.execute(farm.db)).rows[0]?.n);
    const before = await connections();
    const report = await verifyFarm(farm.url);
    expect(report.pass).toBe(true);
    // A backend exits a moment after its client hangs up.
    await expect.poll(connections, { timeout: 30_000, interval: 50, message: "verifyFarm's own sessions to leave the server" }).toBe(before);
  });

  it('says the database holds no farm instead of "relation does not exist"', async () => {
    const url = new URL(farm.url);
    url.pathname = '/postgres';
    await expect(verifyFarm(url.toString())).rejects.toMatchObject({ code: 'AQUASEED_NOT_SEEDED' });
  });

  it('leaves out batches that have not reached the day, and fails the matcher when none has', async () => {
    const late = await populationAtDay(farm, { day: 5000 });
    expect(late.skipped).toBe('no batch has reached day 5000');
    expect(late.pass).toBe(true);
    await expect(expectFarm(farm).toHavePopulationAtDay(5000)).rejects.toThrow('nothing to judge (no batch has reached day 5000)');
  });
});

describe('environmental linkage', () => {
  it("fails when a reading points at another container's assignment", async () => {
    const [fry1, fry2] = stage(2);
    if (!fry1 || !fry2) throw new Error('expected two Fry assignments');
    const result = await tampered(
      (db) => sql`
        UPDATE environmental_environmentalreading SET batch_container_assignment_id = ${fry2.id}
        WHERE id = (SELECT min(id) FROM environmental_environmentalreading WHERE batch_container_assignment_id = ${fry1.id})`.execute(db),
      (db) => environmentalLinkage(db),
    );
    expect(result.pass).toBe(false);
    expect(result.worst?.batchNumber).toBe(batchNumber);
    expect(result.counts).toMatchObject({ bad: 1, wrongContainer: 1, wrongBatch: 0, missingAssignment: 0, outsideDates: 0 });
    expect(result.perBatch[0]?.note).toMatch(/^1 reading of [\d,]+ bad: 1 on another container's assignment$/);
  });

  it("fails when a reading points at another batch's assignment, and the matcher names the batch", async () => {
    const fry = first(stage(2), 'Fry assignment');
    await tampered(
      async (db) => {
        const other = await secondBatch(db);
        const foreign = await copyRow(db, 'batch_batchcontainerassignment', fry.id, { batch_id: other });
        await sql`
          UPDATE environmental_environmentalreading SET batch_container_assignment_id = ${foreign}
          WHERE id = (SELECT min(id) FROM environmental_environmentalreading WHERE batch_container_assignment_id = ${fry.id})`.execute(db);
      },
      async (db) => {
        const result = await environmentalLinkage(db);
        expect(result.counts).toMatchObject({ bad: 1, wrongBatch: 1 });
        await expect(expectFarm(db).toHaveFullEnvironmentalLinkage()).rejects.toThrow(
          new RegExp(`batch ${batchNumber}: environmental linkage 99\\.9+\\d* %, expected 100\\.0 % \\(1 reading of [\\d,]+ bad: 1 on another batch's assignment\\)`),
        );
        await expectFarm(db).not.toHaveFullEnvironmentalLinkage();
      },
    );
  });

  it("fails when a reading falls outside its assignment's dates", async () => {
    const egg = first(stage(1), 'Egg&Alevin assignment');
    const result = await tampered(
      (db) => sql`
        UPDATE environmental_environmentalreading SET reading_time = reading_time + interval '200 days'
        WHERE id = (SELECT min(id) FROM environmental_environmentalreading WHERE batch_container_assignment_id = ${egg.id})`.execute(db),
      (db) => environmentalLinkage(db),
    );
    expect(result.pass).toBe(false);
    expect(result.counts).toMatchObject({ bad: 1, outsideDates: 1 });
  });
});

describe('mortality linkage', () => {
  it('fails when events lose their assignment', async () => {
    const result = await tampered(
      (db) => sql`
        UPDATE batch_mortalityevent SET assignment_id = NULL
        WHERE id IN (SELECT id FROM batch_mortalityevent ORDER BY id LIMIT 3)`.execute(db),
      (db) => mortalityLinkage(db),
    );
    expect(result.pass).toBe(false);
    expect(result.worst?.batchNumber).toBe(batchNumber);
    expect(result.counts).toMatchObject({ bad: 3, missingAssignment: 3 });
    expect(result.detail).toMatch(/^3 mortality events of [\d,]+ not linked: 3 without an existing assignment$/);
  });
});

describe('feeding linkage', () => {
  it("fails when a feeding event points at another container's assignment", async () => {
    const [parr1, parr2] = stage(3);
    if (!parr1 || !parr2) throw new Error('expected two Parr assignments');
    const result = await tampered(
      (db) => sql`
        UPDATE inventory_feedingevent SET batch_assignment_id = ${parr2.id}
        WHERE id = (SELECT min(id) FROM inventory_feedingevent WHERE batch_assignment_id = ${parr1.id})`.execute(db),
      (db) => feedingLinkage(db),
    );
    expect(result.pass).toBe(false);
    expect(result.worst?.batchNumber).toBe(batchNumber);
    expect(result.counts).toMatchObject({ bad: 1, wrongContainer: 1 });
  });
});

describe('container conflicts', () => {
  it('fails when a second batch is put in a tank the first still holds, naming both, the tank and the dates', async () => {
    const fry = first(stage(2), 'Fry assignment');
    const arrives = addDays(fry.assignment_date, 10);
    const leaves = addDays(fry.assignment_date, 20);
    await tampered(
      async (db) => {
        const other = await secondBatch(db);
        await copyRow(db, 'batch_batchcontainerassignment', fry.id, { batch_id: other, assignment_date: arrives, departure_date: leaves });
      },
      async (db) => {
        const result = await containerConflicts(db);
        expect(result.pass).toBe(false);
        expect(result.value).toBe(1);
        expect(result.perBatch.map((entry) => [entry.batchNumber, entry.value])).toEqual([
          [batchNumber, 1],
          ['FAR-2023-999', 1],
        ]);
        const pair = `container ${fry.container}: ${batchNumber} [${fry.assignment_date}, ${fry.departure_date}) overlaps FAR-2023-999 [${arrives}, ${leaves})`;
        expect(result.detail).toBe(pair);
        await expect(expectFarm(db).toHaveNoContainerConflicts()).rejects.toThrow(`batch ${batchNumber}: container conflicts 1, expected 0 (${pair})`);
      },
    );
  });

  it('fails when one batch holds the same tank twice at once', async () => {
    const parr = first(stage(3), 'Parr assignment');
    const result = await tampered(
      (db) => copyRow(db, 'batch_batchcontainerassignment', parr.id, { assignment_date: addDays(parr.assignment_date, 5) }),
      (db) => containerConflicts(db),
    );
    expect(result.pass).toBe(false);
    expect(result.detail).toContain(`container ${parr.container}: ${batchNumber} [${parr.assignment_date}, ${parr.departure_date}) overlaps another assignment of the same batch`);
  });

  it('treats a stay without departure as open to the end of the farm', async () => {
    const ring = first(stage(6), 'Adult assignment');
    const later = addDays(ring.departure_date ?? ring.assignment_date, 30);
    const result = await tampered(
      async (db) => {
        const other = await secondBatch(db);
        // The seeded batch never left this ring; the new batch arrives a month after its harvest.
        await sql`UPDATE batch_batchcontainerassignment SET departure_date = NULL, is_active = true WHERE id = ${ring.id}`.execute(db);
        await copyRow(db, 'batch_batchcontainerassignment', ring.id, { batch_id: other, assignment_date: later, departure_date: null, is_active: true });
      },
      (db) => containerConflicts(db),
    );
    expect(result.pass).toBe(false);
    expect(result.detail).toContain(`${batchNumber} [${ring.assignment_date}, open) overlaps FAR-2023-999 [${later}, open)`);
  });
});

describe('quality ranges', () => {
  it('fails survival when fewer fish are harvested, with the batch and the percentage', async () => {
    await tampered(
      (db) => sql`UPDATE harvest_harvestlot SET unit_count = floor(unit_count * 0.9)`.execute(db),
      async (db) => {
        const result = await survival(db);
        const value = result.perBatch[0]?.value ?? 0;
        expect(value).toBeLessThan(0.8);
        await expect(expectFarm(db).toHaveSurvivalWithin(0.83, 0.87)).rejects.toThrow(
          `batch ${batchNumber}: survival ${(value * 100).toFixed(1)} % is outside 83.0-87.0 %`,
        );
        await expectFarm(db).not.toHaveSurvivalWithin(0.83, 0.87);
      },
    );
  });

  it('flags a doubled day-91 population as the Issue #112 symptom', async () => {
    await tampered(
      (db) => sql`UPDATE batch_creationaction SET egg_count_actual = egg_count_actual * 2`.execute(db),
      async (db) => {
        const result = await populationAtDay(db, { day: 91 });
        expect(result.pass).toBe(false);
        expect(result.counts).toMatchObject({ doubled: 1 });
        await expect(expectFarm(db).toHavePopulationAtDay(91, { min: 2_800_000, max: 3_200_000 })).rejects.toThrow(
          new RegExp(`batch ${batchNumber}: population at day 91 [\\d,]+ is outside 2,800,000-3,200,000 \\(doubled: above 5,000,000 fish, the AquaMind Issue #112 symptom\\)`),
        );
      },
    );
  });

  it('fails harvest weight when the lots weigh half as much again', async () => {
    const result = await tampered(
      (db) => sql`UPDATE harvest_harvestlot SET live_weight_kg = live_weight_kg * 1.5`.execute(db),
      (db) => harvestWeight(db),
    );
    expect(result.pass).toBe(false);
    expect(result.worst?.batchNumber).toBe(batchNumber);
    expect(result.worst?.value).toBeGreaterThan(6.5);
  });

  it('fails FCR when four times the feed was fed', async () => {
    await tampered(
      (db) => sql`UPDATE inventory_feedingevent SET amount_kg = amount_kg * 4`.execute(db),
      async (db) => {
        const result = await fcr(db);
        expect(result.pass).toBe(false);
        expect(result.worst?.value).toBeGreaterThan(3);
        await expect(expectFarm(db).toHaveFcrWithin(0.9, 3.0)).rejects.toThrow(new RegExp(`batch ${batchNumber}: FCR \\d\\.\\d\\d is outside 0\\.90-3\\.00`));
      },
    );
  });
});

describe('stage coverage', () => {
  it('fails when a completed batch has no Parr assignment', async () => {
    const fryStage = await farm.db.selectFrom('batch_lifecyclestage').select('id').where('order', '=', 2).executeTakeFirstOrThrow();
    const parrIds = stage(3).map((a) => a.id);
    await tampered(
      (db) => db.updateTable('batch_batchcontainerassignment').set({ lifecycle_stage_id: fryStage.id }).where('id', 'in', parrIds).execute(),
      async (db) => {
        const result = await stageCoverage(db);
        expect(result.pass).toBe(false);
        expect(result.perBatch).toEqual([{ batchNumber, value: 1, pass: false, note: 'no Parr assignment (COMPLETED)' }]);
        await expect(expectFarm(db).toHaveAllStages()).rejects.toThrow(
          `batch ${batchNumber}: missing stages 1, expected 0 (no Parr assignment (COMPLETED))`,
        );
      },
    );
  });
});

describe('feed stock', () => {
  it('fails when a stock row is negative, naming the feed container', async () => {
    const row = await farm.db
      .selectFrom('inventory_feedcontainerstock as s')
      .innerJoin('infrastructure_feedcontainer as f', 'f.id', 's.feed_container_id')
      .select(['s.id', 'f.name'])
      .orderBy('s.id')
      .executeTakeFirstOrThrow();
    await tampered(
      (db) => db.updateTable('inventory_feedcontainerstock').set({ quantity_kg: -12.5 }).where('id', '=', row.id).execute(),
      async (db) => {
        const result = await feedStock(db);
        expect(result.pass).toBe(false);
        expect(result.value).toBe(1);
        expect(result.detail).toBe(`feed container ${row.name}, stock row ${row.id}: -12.50 kg`);
        await expect(expectFarm(db).toHaveNonNegativeFeedStock()).rejects.toThrow(`negative feed stock rows 1, expected 0: feed container ${row.name}`);
        await expect(expectFarm(db).toPassAllChecks()).rejects.toThrow('negative feed stock rows:');
      },
    );
  });
});
