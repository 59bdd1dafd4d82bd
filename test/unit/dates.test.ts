/**
 * Relative dating: `today` and `today-3d` resolve once, in UTC, when a schedule is planned or read;
 * the schedule carries the date, so its key is the key of that day's farm. The clock is injected
 * (a clock option or AQUASEED_TODAY), never read elsewhere.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cacheKey, planSchedule } from '../../src/index.js';
import { scheduleKey } from '../../src/cache/key.js';
import { validateSchedule } from '../../src/schedule/validate.js';
import { TODAY_ENV } from '../../src/schedule/dates.js';
import { asOfInstant, resolveAsOf, resolveDate, todayUtc } from '../../src/schedule/dates.js';

const at = (iso: string) => () => new Date(iso);

const pinned = process.env[TODAY_ENV];
afterEach(() => {
  if (pinned === undefined) delete process.env[TODAY_ENV];
  else process.env[TODAY_ENV] = pinned;
});

describe('resolveDate', () => {
  it('takes today in UTC from the clock, with day offsets either way', () => {
    // 23:30 in Reykjavik is still the 2nd in UTC; 00:30 UTC is already the 3rd.
    expect(resolveDate('today', 'asOf', at('2026-03-02T23:30:00Z'))).toBe('2026-03-02');
    expect(resolveDate('today', 'asOf', at('2026-03-03T00:30:00+01:00'))).toBe('2026-03-02');
    expect(resolveDate('today-3d', 'asOf', at('2026-03-02T12:00:00Z'))).toBe('2026-02-27');
    expect(resolveDate('today+1d', 'asOf', at('2026-12-31T12:00:00Z'))).toBe('2027-01-01');
    expect(resolveDate('2025-11-21', 'asOf', at('2026-03-02T12:00:00Z'))).toBe('2025-11-21');
  });

  it('takes AQUASEED_TODAY when no clock is given, and refuses a bad one', () => {
    process.env[TODAY_ENV] = '2026-01-05';
    expect(todayUtc()).toBe('2026-01-05');
    expect(resolveDate('today-5d', 'asOf')).toBe('2025-12-31');
    process.env[TODAY_ENV] = '05/01/2026';
    expect(() => todayUtc()).toThrow(/AQUASEED_TODAY="05\/01\/2026" is not a YYYY-MM-DD date/);
  });

  it('refuses what is neither a date nor today-<n>d, naming the field', () => {
    expect(() => resolveDate('yesterday', 'seedFarm({ asOf })')).toThrow(
      expect.objectContaining({
        name: 'AquaseedError',
        message: 'seedFarm({ asOf }) = "yesterday": expected a YYYY-MM-DD date, today, or today-<n>d (e.g. today-3d)',
      }),
    );
    expect(() => todayUtc(() => new Date('not a date'))).toThrow(/clock\(\) returned Invalid Date/);
  });
});

describe('a preset dated today', () => {
  it('leaves two weeks of planned activities overdue unless told otherwise; a fixed date leaves none', () => {
    const clock = at('2026-03-02T12:00:00Z');
    expect(planSchedule('tiny', { asOf: 'today', clock }).overdueActivityDays).toBe(14);
    // 0 is what a schedule without the key means: the key is not written.
    expect(planSchedule('tiny', { asOf: 'today-3d', clock, overdueActivityDays: 0 }).overdueActivityDays).toBeUndefined();
    expect(planSchedule('tiny', { asOf: '2026-03-02' }).overdueActivityDays).toBeUndefined();
    expect(planSchedule('tiny').overdueActivityDays).toBeUndefined();
  });

  it('plans its batches back from the resolved day, which the schedule holds', () => {
    const schedule = planSchedule('tiny', { asOf: 'today', clock: at('2026-03-02T08:00:00Z') });
    expect(schedule.asOf).toBe('2026-03-02');
    // tiny's youngest batch is 20 days old on asOf, whatever asOf is.
    const youngest = schedule.batches.reduce((a, b) => (a.startDate > b.startDate ? a : b));
    expect(youngest.startDate).toBe('2026-02-10');
    expect(youngest.batchNumber).toBe('SCO-2026-002');
  });

  it('has one key per day: the same day twice gives one key, the next day another, equal to the dated farm', () => {
    const monday = cacheKey('tiny', { asOf: 'today', clock: at('2026-03-02T01:00:00Z') });
    expect(cacheKey('tiny', { asOf: 'today', clock: at('2026-03-02T22:59:00Z') })).toBe(monday);
    expect(cacheKey('tiny', { asOf: 'today', clock: at('2026-03-03T01:00:00Z') })).not.toBe(monday);
    // The farm of that date with the overdue work a farm dated today gets by default.
    expect(cacheKey('tiny', { asOf: '2026-03-02', overdueActivityDays: 14 })).toBe(monday);
    expect(cacheKey('tiny', { asOf: 'today-1d', clock: at('2026-03-03T12:00:00Z') })).toBe(monday);
  });

  it('in a preset object too, and refuses a firstStart after the day asOf resolves to', () => {
    const preset = { name: 'mine', seed: 's', asOf: 'today-7d', geographies: ['Faroe Islands'], batches: 1, staggerDays: 10, firstStart: '2026-01-10', eggs: 3_500_000, stageDays: 90, adultMaxDays: 450, harvestTargetKg: [4.5, 6.5], seaRings: 4 };
    expect(planSchedule(preset as never, { clock: at('2026-03-02T12:00:00Z') }).asOf).toBe('2026-02-23');
    expect(() => planSchedule(preset as never, { clock: at('2026-01-12T12:00:00Z') })).toThrow(/firstStart 2026-01-10 is after asOf \(2026-01-05, from today-7d\)/);
  });

  it('in a schedule file: asOf today resolves when the schedule is read, and the batches must fit it', () => {
    const schedule = planSchedule('tiny');
    const relative = { ...schedule, asOf: 'today' };
    expect(validateSchedule(relative, 'farm.yaml', { clock: at('2025-11-21T10:00:00Z') })).toEqual(schedule);
    expect(scheduleKey(validateSchedule(relative, 'farm.yaml', { clock: at('2025-11-21T10:00:00Z') }))).toBe(scheduleKey(schedule));
    // 76 days later the youngest batch is in Fry, which the file allocates no hall for.
    expect(() => validateSchedule(relative, 'farm.yaml', { clock: at('2026-02-05T10:00:00Z') })).toThrow(/farm\.yaml: [^]*no fry containers, but the batch reaches that stage/);
  });
});

describe('asOf is an instant', () => {
  it('resolves today to the start of the UTC day, now to the start of the hour, a date to its start and an instant to itself', () => {
    const clock = at('2026-03-02T11:33:20.500Z');
    expect(resolveAsOf('today', 'asOf', clock)).toEqual({ date: '2026-03-02', time: '00:00:00' });
    expect(resolveAsOf('today-3d', 'asOf', clock)).toEqual({ date: '2026-02-27', time: '00:00:00' });
    expect(resolveAsOf('now', 'asOf', clock)).toEqual({ date: '2026-03-02', time: '11:00:00' });
    expect(resolveAsOf('2025-11-21', 'asOf', clock)).toEqual({ date: '2025-11-21', time: '00:00:00' });
    expect(resolveAsOf('2025-11-21T11:33:20.900Z', 'asOf', clock)).toEqual({ date: '2025-11-21', time: '11:33:20' });
    expect(resolveAsOf('2025-11-21T00:30:00+01:00', 'asOf', clock)).toEqual({ date: '2025-11-20', time: '23:30:00' });
    expect(() => resolveAsOf('2025-11-21T11:33', 'seedFarm({ asOf })')).toThrow(
      expect.objectContaining({ code: 'AQUASEED_INVALID_OPTION', message: expect.stringMatching(/^seedFarm\(\{ asOf \}\) = "2025-11-21T11:33": expected a YYYY-MM-DD date, today, today-<n>d, now or an ISO instant/) }),
    );
  });

  it('takes AQUASEED_TODAY as a day (its start) or as an instant', () => {
    process.env[TODAY_ENV] = '2026-01-05T17:45:00Z';
    expect(resolveAsOf('now', 'asOf')).toEqual({ date: '2026-01-05', time: '17:00:00' });
    expect(todayUtc()).toBe('2026-01-05');
    process.env[TODAY_ENV] = '2026-01-05';
    expect(resolveAsOf('now', 'asOf')).toEqual({ date: '2026-01-05', time: '00:00:00' });
  });

  it('plans a farm dated now with its time of day, one key per hour, and the same farm as that instant', () => {
    const schedule = planSchedule('tiny', { asOf: 'now', clock: at('2026-03-02T11:33:00Z') });
    expect(Object.keys(schedule).slice(0, 5)).toEqual(['version', 'preset', 'seed', 'asOf', 'asOfTime']);
    expect(schedule).toMatchObject({ asOf: '2026-03-02', asOfTime: '11:00:00', overdueActivityDays: 14 });
    expect(asOfInstant(schedule)).toBe('2026-03-02T11:00:00Z');
    const eleven = scheduleKey(schedule);
    expect(cacheKey('tiny', { asOf: 'now', clock: at('2026-03-02T11:59:59Z') })).toBe(eleven);
    expect(cacheKey('tiny', { asOf: 'now', clock: at('2026-03-02T12:00:00Z') })).not.toBe(eleven);
    expect(cacheKey('tiny', { asOf: '2026-03-02T11:00:00Z', overdueActivityDays: 14 })).toBe(eleven);
    // Midnight is a bare date: the same schedule, without asOfTime, as `today` or the date itself.
    expect(planSchedule('tiny', { asOf: '2026-03-02T00:00:00Z' })).toEqual(planSchedule('tiny', { asOf: '2026-03-02' }));
    expect(planSchedule('tiny', { asOf: '2026-03-02' }).asOfTime).toBeUndefined();
  });

  it('reads a schedule file’s asOfTime back, and refuses one beside an asOf that gives its own time', () => {
    const schedule = planSchedule('tiny', { asOf: '2025-11-21T06:30:00Z' });
    expect(schedule.asOfTime).toBe('06:30:00');
    expect(validateSchedule(JSON.parse(JSON.stringify(schedule)), 'farm.yaml')).toEqual(schedule);
    expect(() => validateSchedule({ ...schedule, asOf: 'today' }, 'farm.yaml')).toThrow(/farm\.yaml: asOfTime = "06:30:00" goes with a YYYY-MM-DD asOf, but asOf is "today"/);
    expect(() => validateSchedule({ ...schedule, asOfTime: '25:00:00' }, 'farm.yaml')).toThrow(/asOfTime = "25:00:00": expected HH:MM:SS/);
    // The caller's asOf replaces the whole instant.
    expect(validateSchedule(schedule, 'farm.yaml', { asOf: '2025-11-21' }).asOfTime).toBeUndefined();
  });
});

describe('the farm users’ password', () => {
  it('is AquaMind’s admin123 unless a preset or the caller gives another; it is part of the key', () => {
    const plain = planSchedule('tiny');
    expect(plain.adminPassword).toBeUndefined();
    expect(planSchedule('tiny', { adminPassword: 'admin123' })).toEqual(plain);
    const other = planSchedule('tiny', { adminPassword: 'other pass' });
    expect(other.adminPassword).toBe('other pass');
    expect(scheduleKey(other)).not.toBe(scheduleKey(plain));
    expect(validateSchedule(JSON.parse(JSON.stringify(other)), 'farm.yaml')).toEqual(other);
    expect(validateSchedule(plain, 'farm.yaml', { adminPassword: 'other pass' })).toEqual(other);
    expect(() => planSchedule('tiny', { adminPassword: '' })).toThrow(
      expect.objectContaining({ code: 'AQUASEED_INVALID_OPTION', message: 'adminPassword = a string of 0 characters: expected a password of at least 1 character' }),
    );
  });
});
