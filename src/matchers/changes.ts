/**
 * What the app wrote, as matchers on a tracked farm: `toHaveWritten(table, match?)` and
 * `toHaveChangedOnly(tables)`, with the logic of src/changes/expectations.ts. `received` is a Farm
 * or FarmClone (anything with a database `url`), or a connection URL, of a tracked database
 * (`reset` isolation, `trackChanges()`). The changes and the database's table names are read on
 * one connection, so a misspelt table is refused instead of making `.not` pass.
 *
 * The outcome carries `actual` and `expected` chosen so that a diff shows only what differs:
 * Vitest prints that diff itself; Playwright's adapter appends `this.utils.diff` (withDiff below).
 */
import { AquaseedError } from '../core/errors.js';
import { withClient } from '../db/client.js';
import { readChanges, trackedTableNames, type FarmChanges } from '../changes/changes.js';
import { expectChangedOnly, expectWritten, type ExpectationResult, type TablePattern, type WrittenMatch } from '../changes/expectations.js';
import type { MatcherContext } from './types.js';

export type { ExpectationResult, TablePattern, WrittenMatch, WrittenQuery, ChangeKind, PartialRow } from '../changes/expectations.js';

/** The changes of the tracked database `received` is, and every table name it tracks. */
async function changesOf(received: unknown, matcher: string): Promise<{ changes: FarmChanges; known: string[] }> {
  const url = typeof received === 'string' ? received : (received as { url?: unknown } | null)?.url;
  if (typeof url !== 'string' || !/^postgres(ql)?:\/\//.test(url)) {
    throw new AquaseedError(
      'AQUASEED_INVALID_OPTION',
      `expect(…).${matcher}() needs a tracked farm (a Farm, a FarmClone or a database URL), got ${describe(received)}`,
      "pass the fixture's farm: await expect(farm).toHaveWritten('batch_mortalityevent'), with farmIsolation: 'reset' or after farm.trackChanges()",
    );
  }
  return withClient(url, async (client) => {
    const [changes, known] = [await readChanges(client), await trackedTableNames(client)];
    return { changes, known };
  });
}

export async function toHaveWritten(this: MatcherContext | void, received: unknown, table: string, match?: WrittenMatch): Promise<ExpectationResult> {
  const { changes, known } = await changesOf(received, 'toHaveWritten');
  return hinted(expectWritten(changes, table, match, { knownTables: known }), this);
}

export async function toHaveChangedOnly(this: MatcherContext | void, received: unknown, tables: TablePattern | readonly TablePattern[]): Promise<ExpectationResult> {
  const { changes, known } = await changesOf(received, 'toHaveChangedOnly');
  return hinted(expectChangedOnly(changes, tables, { knownTables: known }), this);
}

/** `expect(farm)[.not].` before the expectation's own first line, as the farm matchers print it. */
function hinted(result: ExpectationResult, context: MatcherContext | void): ExpectationResult {
  const negated = context ? context.isNot === true : false;
  return { ...result, message: () => `expect(farm)${negated ? '.not' : ''}.${result.message()}` };
}

/** The part of a runner's matcher `this` that can draw a diff (Playwright's and Vitest's `utils.diff`). */
export interface DiffContext extends MatcherContext {
  readonly utils?: { diff?(a: unknown, b: unknown): string | null };
}

type ChangeMatcher<A extends unknown[]> = (this: MatcherContext | void, received: unknown, ...args: A) => Promise<ExpectationResult>;

/**
 * The matcher with the diff of `expected` and `actual` appended to a failure's message, for a
 * runner that shows only the message (Playwright); Vitest draws the diff from the outcome itself.
 */
export function withDiff<A extends unknown[]>(matcher: ChangeMatcher<A>): (this: DiffContext, received: unknown, ...args: A) => Promise<ExpectationResult> {
  return async function (this: DiffContext, received: unknown, ...args: A): Promise<ExpectationResult> {
    const result = await matcher.call(this, received, ...args);
    const negated = this.isNot === true;
    if (result.pass === !negated) return result; // the assertion holds: no message is shown
    const diff = negated ? null : this.utils?.diff?.(result.expected, result.actual);
    return { ...result, message: () => (diff ? `${result.message()}\n\n${diff}` : result.message()) };
  };
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return `an object with keys ${Object.keys(value).slice(0, 5).join(', ') || '(none)'}`;
  return JSON.stringify(value) ?? String(value);
}
