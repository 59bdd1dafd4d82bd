/**
 * expectWritten / expectChangedOnly on real changes of a small tracked database: what passes,
 * what fails, what the messages show, and how Vitest's expect prints them (with .not and a diff)
 * when they are registered as matchers.
 */
import { stripVTControlCharacters } from 'node:util';
import pg from 'pg';
import { diff } from '@vitest/utils/diff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFarm, type Farm } from '../../src/index.js';
import { readChanges, trackedTableNames, type FarmChanges } from '../../src/changes/changes.js';
import { expectChangedOnly, expectWritten, matchesPartial, type TablePattern, type WrittenMatch } from '../../src/changes/expectations.js';
import { createTrackedDatabase, type TrackedDatabase } from '../support/tracked-database.js';

let farm: Farm;
let db: TrackedDatabase;
let changes: FarmChanges;
let known: string[];

beforeAll(async () => {
  farm = await seedFarm('tiny');
  db = await createTrackedDatabase(farm.url, `expectations_${process.pid}`);
  // What a form might write: a row inserted, a row updated, a row deleted, and the app's session.
  await db.write(
    `INSERT INTO note (title, amount, day) VALUES ('from the form', 250, '2025-11-21')`,
    `UPDATE note SET done = true, amount = 7 WHERE id = 2`,
    `DELETE FROM pair WHERE a = 2`,
    `INSERT INTO app.session VALUES ('s1', 'logged in')`,
  );
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    changes = await readChanges(client);
    known = await trackedTableNames(client);
  } finally {
    await client.end();
  }
});

afterAll(async () => {
  await db?.drop();
  await farm?.close();
});

// The matchers as a runner registers them (the wiring in fixtures/ passes the farm's changes).
expect.extend({
  toHaveWritten(received: FarmChanges, table: string, match?: WrittenMatch) {
    return expectWritten(received, table, match, { knownTables: known });
  },
  toHaveChangedOnly(received: FarmChanges, tables: TablePattern | TablePattern[]) {
    return expectChangedOnly(received, tables, { knownTables: known });
  },
});

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Vitest's own augmentation hook declares T = any
  interface Matchers<T = any> {
    toHaveWritten(table: string, match?: WrittenMatch): T;
    toHaveChangedOnly(tables: TablePattern | TablePattern[]): T;
  }
}

/** The error a failing expectation throws, for its message, actual and expected. */
function failure(run: () => void): { message: string; actual?: unknown; expected?: unknown } {
  try {
    run();
  } catch (error) {
    return error as { message: string; actual?: unknown; expected?: unknown };
  }
  throw new Error('the expectation passed');
}

describe('toHaveWritten', () => {
  it('without a match: passes when any row of the table changed, and .not when none did', () => {
    expect(changes).toHaveWritten('note');
    expect(changes).toHaveWritten('public.pair');
    expect(changes).not.toHaveWritten('log_line');
    const error = failure(() => expect(changes).toHaveWritten('log_line'));
    expect(error.message).toContain('expected a row of log_line to have changed, but none did');
    expect(error.message).toContain('Tables changed: app.session (1 inserted, 0 updated, 0 deleted); note (1 inserted, 1 updated, 0 deleted); pair (0 inserted, 0 updated, 1 deleted)');
    const not = failure(() => expect(changes).not.toHaveWritten('note'));
    expect(not.message).toContain('expected no row of note to have changed, but note: 1 inserted, 1 updated, 0 deleted');
    expect(not.message).toMatch(/inserted +\{ id: 4, title: 'from the form', amount: 250,/);
    expect(not.message).toContain('(changed: amount, done)');
  });

  it('with a count: exactly that many rows inserted, updated or deleted', () => {
    expect(changes).toHaveWritten('note', 2);
    expect(changes).not.toHaveWritten('note', 1);
    const error = failure(() => expect(changes).toHaveWritten('pair', 2));
    expect(error.actual).toBe(1);
    expect(error.expected).toBe(2);
    expect(error.message).toContain('expected 2 rows of pair to have changed, and 1 did');
    expect(error.message).toMatch(/deleted +\{ a: 2, b: 'x', value: 20 \}/);
  });

  it('with a partial row: some row has those values; a failure diffs the closest row on those columns only', () => {
    expect(changes).toHaveWritten('note', { title: 'from the form', amount: 250, day: '2025-11-21' });
    expect(changes).toHaveWritten('note', { id: 2, done: true });
    expect(changes).toHaveWritten('note', { title: /form/, at: '2025-11-21T06:00:00Z', id: expect.any(Number) });
    expect(changes).not.toHaveWritten('note', { title: 'from the form', amount: 300 });
    const error = failure(() => expect(changes).toHaveWritten('note', { title: /form/, amount: 300 }));
    // Only the differing column differs between actual and expected; the RegExp that matched shows as the value.
    expect(error.actual).toEqual({ title: 'from the form', amount: 250 });
    expect(error.expected).toEqual({ title: 'from the form', amount: 300 });
    expect(error.message).toContain('none of the 2 rows changed does');
    expect(error.message).toContain('Closest (inserted), differs in amount');
    // The diff Vitest's reporter prints from them: the one differing column.
    const shown = diff(error.expected, error.actual, { expand: true }) ?? '';
    expect(shown).toMatch(/- +"amount": 300,/);
    expect(shown).toMatch(/\+ +"amount": 250,/);
    expect(shown).not.toMatch(/[-+] +"title"/);
  });

  it('a partial row on a deleted row matches it as it was; kind narrows which changes count', () => {
    expect(changes).toHaveWritten('pair', { a: 2, b: 'x' });
    expect(changes).toHaveWritten('pair', { where: { a: 2 }, kind: 'deleted', count: 1 });
    expect(changes).not.toHaveWritten('pair', { where: {}, kind: ['inserted', 'updated'] });
    expect(changes).toHaveWritten('note', { where: {}, kind: 'inserted', count: 1 });
    expect(changes).toHaveWritten('note', { where: { done: true }, kind: 'updated', count: 1 });
    const error = failure(() => expect(changes).toHaveWritten('note', { where: { done: true }, count: 2 }));
    expect(error.actual).toBe(1);
    expect(error.expected).toBe(2);
    expect(error.message).toContain('expected 2 rows of note matching { done: true }, and 1 matched');
  });

  it('refuses a table the database does not have, naming the close ones, and a malformed match', () => {
    expect(() => expect(changes).not.toHaveWritten('notes')).toThrow(/the database has no table "notes"[\s\S]*/);
    expect(() => expectWritten(changes, 'notes', undefined, { knownTables: known })).toThrow(expect.objectContaining({ code: 'AQUASEED_INVALID_OPTION', fix: 'did you mean "note"?' }));
    expect(() => expectWritten(changes, 'note', -1)).toThrow(/count must be a whole number of rows, 0 or more, got -1/);
    expect(() => expectWritten(changes, 'note', { where: { done: true }, kind: 'upserted' as never })).toThrow(/kind must be 'inserted', 'updated', 'deleted'/);
    expect(() => expectWritten(changes, 'note', { where: { done: true }, done: true } as never)).toThrow(/unknown key "done" \(put column values inside where\)/);
  });
});

describe('toHaveChangedOnly', () => {
  it('passes when every changed table is listed by name or pattern; a listed table need not have changed', () => {
    expect(changes).toHaveChangedOnly(['note', 'pair', /session$/, 'log_line']);
    expect(changes).not.toHaveChangedOnly(['note', 'pair']);
  });

  it('fails naming the other tables with their rows; the diff shows them as the extra entries', () => {
    const error = failure(() => expect(changes).toHaveChangedOnly(['note']));
    expect(error.actual).toEqual(['app.session', 'note', 'pair']);
    expect(error.expected).toEqual(['note']);
    expect(error.message).toContain('expected no other table to have changed, but app.session, pair did');
    expect(error.message).toMatch(/app\.session: 1 inserted, 0 updated, 0 deleted\n +inserted +\{ key: 's1', data: 'logged in' \}/);
    const shown = diff(error.expected, error.actual, { expand: true }) ?? '';
    // Two lines differ, both received: the tables outside the list.
    expect(shown.split('\n').filter((line) => /^[-+] +"/.test(stripVTControlCharacters(line)))).toHaveLength(2);
    expect(shown).toMatch(/\+ +"app\.session",/);
    expect(shown).toMatch(/\+ +"pair",/);
    const not = failure(() => expect(changes).not.toHaveChangedOnly(['note', 'pair', 'app.session']));
    expect(not.message).toContain('expected a table outside the list to have changed, but only app.session, note, pair did');
  });

  it('on no changes: passes for any list, the empty one too', () => {
    expect({}).toHaveChangedOnly([]);
    expect(() => expectChangedOnly({}, ['no_such_table'], { knownTables: known })).toThrow(/the database has no table "no_such_table"/);
  });
});

describe('matchesPartial', () => {
  it('compares as toMatchObject does: objects partially, arrays whole, Dates by instant', () => {
    expect(matchesPartial({ a: 1, b: { c: [1, 2], d: 'x' } }, { b: { c: [1, 2] } })).toBe(true);
    expect(matchesPartial({ a: 1, b: { c: [1, 2] } }, { b: { c: [1] } })).toBe(false);
    expect(matchesPartial({ at: new Date('2025-11-21T06:00:00Z') }, { at: new Date('2025-11-21T06:00:00.000Z') })).toBe(true);
    expect(matchesPartial({ at: new Date('2025-11-21T06:00:00Z') }, { at: '2025-11-21T07:00:00+01:00' })).toBe(true);
    expect(matchesPartial({ at: new Date('2025-11-21T06:00:00Z') }, { at: '2025-11-21' })).toBe(false);
    expect(matchesPartial({ a: null }, { a: undefined })).toBe(false);
    expect(matchesPartial({}, { a: undefined })).toBe(false);
    expect(matchesPartial({ blob: Buffer.from([1]) }, { blob: Buffer.from([1]) })).toBe(true);
  });
});
