/**
 * Input checked at the edge, before any work: preset and schedule files point at file:line:column
 * with the key, the value, what is allowed and the nearest valid name; dates are real calendar
 * days; the CLI's option values (URLs, dates, numbers, paths) are refused naming the option.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSchedule, planSchedule } from '../../src/preset-files/resolve.js';
import { loadPreset } from '../../src/preset-files/presets.js';
import { scheduleToYaml } from '../../src/schedule/yaml.js';
import { isIsoDate, resolveDate } from '../../src/schedule/dates.js';
import { nearestName } from '../../src/schedule/suggest.js';
import { parseAsOf, parseDatabaseUrlOption, parseDirectory, parseOutputFile, wholeNumber } from '../../src/cli/parse-options.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aquaseed-input-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the tiny preset as YAML with `edit` applied to its text. */
function presetFile(name: string, edit: (text: string) => string): string {
  const file = join(dir, `${name}.yaml`);
  const text = [
    'name: mine',
    'seed: mine',
    'asOf: "2025-11-21"',
    'geographies: [Faroe Islands, Scotland]',
    'batches: 4',
    'staggerDays: 90',
    'youngestAgeDays: 30',
    'eggs: 3500000',
    'stageDays: 90',
    'adultMaxDays: 450',
    'harvestTargetKg: [4.5, 6.5]',
    'seaRings: 4',
    '',
  ].join('\n');
  writeFileSync(file, edit(text));
  return file;
}

function failure(run: () => unknown): { code?: string; message: string; fix?: string } {
  try {
    run();
  } catch (error) {
    return error as { code?: string; message: string; fix?: string };
  }
  throw new Error('expected a refusal');
}

describe('preset files: file:line:column, the key, the value, what is allowed, the nearest name', () => {
  it('plans the unedited file (the base of the cases below is valid)', () => {
    expect(resolveSchedule(presetFile('valid', (text) => text)).batches).toHaveLength(4);
  });

  it('a misspelt key: its line and column, and the key it should be', () => {
    const file = presetFile('typo', (text) => text.replace('staggerDays: 90', 'stagerDays: 90'));
    expect(failure(() => resolveSchedule(file))).toMatchObject({
      code: 'AQUASEED_INVALID_SCHEDULE',
      message: expect.stringMatching(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:6:1: stagerDays = 90: not a known key; did you mean "staggerDays"\\?`)),
      fix: expect.stringContaining('docs/presets.md'),
    });
  });

  it('a value out of range: the value\'s position and the range', () => {
    const file = presetFile('eggs', (text) => text.replace('eggs: 3500000', 'eggs: 5'));
    expect(failure(() => resolveSchedule(file)).message).toBe(`${file}:8:7: eggs = 5: Too small: expected number to be >=10000`);
  });

  it('a misspelt choice: the allowed values and the nearest', () => {
    const file = presetFile('geo', (text) => text.replace('[Faroe Islands, Scotland]', '[Faroe Islands, Scotlnd]'));
    expect(failure(() => resolveSchedule(file)).message).toBe(
      `${file}:4:30: geographies[1] = "Scotlnd": Invalid option: expected one of "Faroe Islands"|"Scotland"; did you mean "Scotland"?`,
    );
  });

  it('a misspelt incident kind and a misspelt incident key, each with the nearest', () => {
    const kind = presetFile('kind', (text) => `${text}incidents:\n  - kind: lice-outbrak\n    batch: FAR-2025-001\n`);
    expect(failure(() => resolveSchedule(kind)).message).toMatch(new RegExp(`:14:11: incidents\\[0\\]\\.kind = "lice-outbrak": .*; did you mean "lice-outbreak"\\?`));
    const key = presetFile('key', (text) => `${text}incidents:\n  - kind: lice-outbreak\n    batch: FAR-2025-001\n    day: asOf-2d\n    untreted: true\n`);
    expect(failure(() => resolveSchedule(key)).message).toMatch(/:17:5: incidents\[0\]\.untreted = true: not a known key; did you mean "untreated"\?/);
  });

  it('a YAML syntax error: its line and column', () => {
    const file = presetFile('syntax', (text) => text.replace('seaRings: 4', 'seaRings: [4'));
    expect(failure(() => resolveSchedule(file))).toMatchObject({ code: 'AQUASEED_INVALID_SCHEDULE', message: expect.stringMatching(new RegExp(`^.*syntax\\.yaml:\\d+:\\d+: not valid YAML: `)) });
  });

  it('a schedule file: the position of a bad nested value', () => {
    const file = join(dir, 'schedule.yaml');
    writeFileSync(file, scheduleToYaml(planSchedule('tiny')).replace(/eggs: \d+/, 'eggs: 12'));
    expect(failure(() => resolveSchedule(file)).message).toMatch(/schedule\.yaml:\d+:\d+: batches\[0\]\.eggs = 12: Too small/);
  });

  it('an unknown preset name: the nearest preset', () => {
    expect(failure(() => loadPreset('single-bach'))).toMatchObject({ code: 'AQUASEED_UNKNOWN_PRESET', message: 'unknown preset "single-bach"; did you mean "single-batch"?' });
    expect(failure(() => loadPreset('zzz')).message).toBe('unknown preset "zzz"');
  });

  it('nearestName: a typo is near, another word is not', () => {
    expect(nearestName('40-bacth', ['tiny', '40-batch', 'uat'])).toBe('40-batch');
    expect(nearestName('farm', ['tiny', '40-batch', 'uat'])).toBeUndefined();
  });
});

describe('dates are days on the calendar', () => {
  it('2025-02-30 and 2025-13-01 are refused, naming what is wrong; 2024-02-29 is a day', () => {
    expect(isIsoDate('2025-02-30')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(() => resolveDate('2025-02-30', 'asOf')).toThrow('asOf = "2025-02-30": day 30 does not exist: 2025-02 has 28 days');
    expect(() => resolveDate('2025-13-01', 'asOf')).toThrow('asOf = "2025-13-01": month 13 does not exist (01 to 12)');
    expect(() => planSchedule('tiny', { asOf: '2025-02-30' })).toThrow(expect.objectContaining({ code: 'AQUASEED_INVALID_OPTION', message: expect.stringContaining('"2025-02-30"') }));
  });
});

describe('CLI option values', () => {
  it('--as-of: a calendar date, today, today-<n>d, now or an ISO instant', () => {
    expect(parseAsOf('2025-02-28')).toBe('2025-02-28');
    expect(parseAsOf('today-3d')).toBe('today-3d');
    expect(parseAsOf('now')).toBe('now');
    expect(parseAsOf('2025-11-21T11:33:00Z')).toBe('2025-11-21T11:33:00Z');
    expect(failure(() => parseAsOf('2025-02-30'))).toMatchObject({
      code: 'AQUASEED_INVALID_OPTION',
      message: '--as-of "2025-02-30" is not a date on the calendar: day 30 does not exist: 2025-02 has 28 days',
      fix: expect.stringContaining('--as-of 2025-02-28'),
    });
    expect(failure(() => parseAsOf('yesterday')).message).toBe('--as-of "yesterday" is not a YYYY-MM-DD date, today, today-<n>d, now or an ISO instant');
  });

  it('--database-url: a postgres URL naming a host and a database, its password never shown; empty means unset', () => {
    expect(parseDatabaseUrlOption('postgres://me:pw@localhost:5432/farm')).toBe('postgres://me:pw@localhost:5432/farm');
    expect(parseDatabaseUrlOption('postgresql:///farm?host=/run/postgresql')).toBe('postgresql:///farm?host=/run/postgresql');
    expect(parseDatabaseUrlOption('')).toBeUndefined();
    expect(failure(() => parseDatabaseUrlOption('mysql://me:secret@localhost/farm')).message).toBe('--database-url "mysql://me:***@localhost/farm" is not a PostgreSQL URL (protocol mysql:)');
    expect(failure(() => parseDatabaseUrlOption('postgres:///farm')).message).toBe('--database-url "postgres:///farm" names no host');
    expect(failure(() => parseDatabaseUrlOption('postgres://me@localhost')).message).toBe('--database-url "postgres://me@localhost" names no database');
    expect(failure(() => parseDatabaseUrlOption('localhost:5432')).code).toBe('AQUASEED_INVALID_OPTION');
  });

  it('numbers and paths', () => {
    const workers = wholeNumber('--workers', 1, 64);
    expect(workers('4')).toBe(4);
    expect(failure(() => workers('0')).message).toBe('--workers "0" is not a whole number from 1 to 64');
    expect(failure(() => workers('2.5')).message).toBe('--workers "2.5" is not a whole number from 1 to 64');
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    expect(failure(() => parseDirectory('--cache-dir')(file)).message).toBe(`--cache-dir ${JSON.stringify(file)} is a file, not a directory`);
    expect(parseDirectory('--cache-dir')(join(dir, 'new', 'cache'))).toBe(join(dir, 'new', 'cache'));
    expect(failure(() => parseOutputFile('--output')(join(dir, 'no-such-dir', 'farm.yaml'))).message).toBe(
      `--output ${JSON.stringify(join(dir, 'no-such-dir', 'farm.yaml'))}: the directory ${join(dir, 'no-such-dir')} does not exist`,
    );
    expect(failure(() => parseOutputFile('--output')(dir)).message).toBe(`--output ${JSON.stringify(dir)} is a directory`);
  });
});
