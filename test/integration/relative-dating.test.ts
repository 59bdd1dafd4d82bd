/**
 * A farm dated today on real PostgreSQL: the wall clock's UTC day becomes asOf and the start of
 * that day the farm's "now", so every batch in the water has its last readings on the day before
 * and none later, planned activities lie on both sides of it (overdue ones with
 * overdueActivityDays) and live projections start with asOf, whose growth is not in yet; the same
 * day seeds the same tables again, the next day has another key. The CLI's --as-of and `key` say
 * which day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { cacheKey, planSchedule, seedFarm, type Farm } from '../../src/index.js';
import { scheduleKey } from '../../src/cache/key.js';
import { expectSameTables } from '../support/reseed.js';
import { addDays } from '../../src/core/time.js';
import { todayUtc } from '../../src/schedule/dates.js';
import { runCli } from '../support/cli.js';
import { aquaseedMatchers, type AquaseedMatchers } from '../../fixtures/matchers.js';

expect.extend(aquaseedMatchers);
const expectFarm = (target: unknown) => expect(target) as unknown as AquaseedMatchers<Promise<void>>;

let farm: Farm;
let dayBefore: string;
let dayAfter: string;

beforeAll(async () => {
  // The UTC day is read around the seed: a run across midnight sees either day, never a third.
  dayBefore = todayUtc();
  farm = await seedFarm({ preset: 'tiny', asOf: 'today', overdueActivityDays: 30 });
  dayAfter = todayUtc();
});

afterAll(async () => {
  await farm?.close();
});

describe('a farm dated today', () => {
  it('takes today’s UTC date as asOf, in the schedule and the marker table', async () => {
    expect([dayBefore, dayAfter]).toContain(farm.schedule.asOf);
    const { rows } = await sql<{ as_of: string }>`SELECT schedule->>'asOf' AS as_of FROM aquaseed_farm`.execute(farm.db);
    expect(rows).toEqual([{ as_of: farm.schedule.asOf }]);
  });

  it('has readings up to the day before asOf for every active batch, and none later (now is asOf 00:00)', async () => {
    const { rows } = await sql<{ batch_number: string; last: string }>`
      SELECT b.batch_number, to_char(max((r.reading_time AT TIME ZONE 'UTC')::date), 'YYYY-MM-DD') AS last
      FROM batch_batch b LEFT JOIN environmental_environmentalreading r ON r.batch_id = b.id
      WHERE b.status = 'ACTIVE' GROUP BY 1 ORDER BY 1`.execute(farm.db);
    expect(rows).toHaveLength(4);
    expect(rows.every((row) => row.last === addDays(farm.schedule.asOf, -1))).toBe(true);
    expect(farm.summary.asOf).toBe(`${farm.schedule.asOf}T00:00:00Z`);
  });

  it('has planned activities overdue, due soon and later, and live projections from asOf on', async () => {
    const { rows } = await sql<{ overdue: number; pending: number; completed_recently: number }>`
      SELECT count(*) FILTER (WHERE status = 'PENDING' AND due_date < CAST(${farm.schedule.asOf} AS date))::int AS overdue,
             count(*) FILTER (WHERE status = 'PENDING' AND due_date >= CAST(${farm.schedule.asOf} AS date))::int AS pending,
             count(*) FILTER (WHERE status = 'COMPLETED' AND due_date >= CAST(${farm.schedule.asOf} AS date) - 30)::int AS completed_recently
      FROM planning_plannedactivity`.execute(farm.db);
    expect(rows[0]!.overdue).toBeGreaterThan(0);
    expect(rows[0]!.pending).toBeGreaterThan(0);
    expect(rows[0]!.completed_recently).toBe(0);
    const { rows: projections } = await sql<{ first: string }>`
      SELECT DISTINCT to_char(min(projection_date), 'YYYY-MM-DD') AS first FROM batch_liveforwardprojection GROUP BY batch_id`.execute(farm.db);
    expect(projections).toEqual([{ first: farm.schedule.asOf }]);
    await expectFarm(farm).toPassAllChecks();
  });

  it('seeds the same tables again the same day, and has another key the next', async () => {
    const clock = () => new Date(`${farm.schedule.asOf}T23:59:59Z`);
    const again = await seedFarm({ preset: 'tiny', asOf: 'today', overdueActivityDays: 30, clock, cache: false });
    try {
      expect(again.key).toBe(farm.key);
      await expectSameTables(farm.url, again.url);
    } finally {
      await again.close();
    }
    const tomorrow = () => new Date(`${addDays(farm.schedule.asOf, 1)}T00:00:01Z`);
    expect(cacheKey('tiny', { asOf: 'today', overdueActivityDays: 30, clock: tomorrow })).not.toBe(farm.key);
  });
});

describe('the CLI', () => {
  const pinned = { AQUASEED_TODAY: '2026-03-02' };

  it('key --as-of today prints that day’s key, and the resolved asOf on stderr', async () => {
    const result = await runCli(['key', 'tiny', '--as-of', 'today'], pinned);
    expect(result.code).toBe(0);
    // The farm of that day, with the overdue work a farm dated today gets by default.
    expect(result.stdout).toBe(`${scheduleKey(planSchedule('tiny', { asOf: '2026-03-02', overdueActivityDays: 14 }))}\n`);
    expect(result.stderr).toBe('asOf 2026-03-02\n');
    const dated = await runCli(['key', 'tiny'], pinned);
    expect(dated.stdout).toBe(`${cacheKey('tiny')}\n`);
    expect(dated.stderr).toBe('asOf 2025-11-21\n');
  });

  it('plan --as-of today-1d writes the resolved date, and refuses a date it cannot read', async () => {
    const planned = await runCli(['plan', 'tiny', '--as-of', 'today-1d'], pinned);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toMatch(/^asOf: 2026-03-01$/m);
    const bad = await runCli(['plan', 'tiny', '--as-of', 'last tuesday'], pinned);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--as-of "last tuesday" is not a YYYY-MM-DD date, today, today-<n>d, now or an ISO instant/);
    // An instant passes the CLI's check at the edge: the plan carries its day and time of day.
    const instant = await runCli(['plan', 'tiny', '--as-of', '2026-03-01T11:33:00Z'], pinned);
    expect(instant.code, instant.stderr).toBe(0);
    expect(instant.stdout).toMatch(/^asOf: 2026-03-01\nasOfTime: 11:33:00$/m);
  });
});
