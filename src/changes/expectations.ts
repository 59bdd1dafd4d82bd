/**
 * What the app wrote, as expectations: the runner-free logic of the matchers `toHaveWritten` and
 * `toHaveChangedOnly`. Each takes a FarmChanges (src/changes/changes.ts) and returns
 * `{ pass, message, actual, expected, name }`, the shape Vitest's and Playwright's `expect.extend`
 * accept: `pass` is the truth (the runner inverts it for `.not`), `message` explains a failure
 * (or, shown under `.not`, an unexpected pass), and `actual` / `expected` are chosen so that a
 * runner's diff shows just what differs, as `toMatchObject` does.
 *
 * toHaveWritten(table, match?) counts every row of `table` the app changed, each once: an inserted
 * row and an updated row as they are now, a deleted row as it was. `match` is
 *   - left out: at least one such row;
 *   - a number n: exactly n such rows;
 *   - a partial row: at least one such row has these values (as toMatchObject compares them, plus:
 *     a RegExp matches a string, an ISO string matches a Date at that instant, asymmetric matchers
 *     such as expect.any(Number) work);
 *   - `{ where, count?, kind? }`: rows matching `where` (`{}` for every row), exactly `count` of
 *     them if given (else at least one), counting only the kinds given ('inserted', 'updated',
 *     'deleted'). The object form is told from a partial row by its `where` key, so a table with a
 *     column named `count` (batch_mortalityevent) still takes `{ count: 250 }` as a partial row.
 * toHaveChangedOnly(tables) passes when every table the app changed is one of `tables` (names, or
 * RegExps tested against the name); a listed table need not have changed.
 */
import { inspect } from 'node:util';
import { AquaseedError } from '../core/errors.js';
import { changesTableName, sameValue, type ChangedRow, type FarmChanges, type TableChanges } from './changes.js';

export type ChangeKind = 'inserted' | 'updated' | 'deleted';
export const CHANGE_KINDS: readonly ChangeKind[] = ['inserted', 'updated', 'deleted'];

export type PartialRow = Record<string, unknown>;

export interface WrittenQuery {
  /** Values the rows must have (`{}`: every row). */
  where: PartialRow;
  /** Exactly this many matching rows (default: at least one). */
  count?: number;
  /** Which changes count (default all three). */
  kind?: ChangeKind | readonly ChangeKind[];
}

export type WrittenMatch = number | PartialRow | WrittenQuery;

export type TablePattern = string | RegExp;

/** Assignable to Vitest's ExpectationResult and Playwright's MatcherReturnType. */
export interface ExpectationResult {
  pass: boolean;
  message: () => string;
  actual: unknown;
  expected: unknown;
  name: string;
}

export interface ExpectationOptions {
  /**
   * Every table name the database tracks (as FarmChanges names them). When given, a table that
   * is not one of them is refused, so a misspelt name cannot make `.not.toHaveWritten` pass.
   */
  knownTables?: readonly string[];
}

/** A row the app changed, as the matchers count it. */
interface WrittenRow {
  kind: ChangeKind;
  /** The row now (inserted, updated) or as it was (deleted). */
  row: ChangedRow;
  /** Updated rows: the columns that changed. */
  columns?: string[];
}

const SHOWN_ROWS = 10;

export function expectWritten(changes: FarmChanges, table: string, match?: WrittenMatch, options: ExpectationOptions = {}): ExpectationResult {
  const name = checkTable(table, options.knownTables);
  const query = toQuery(match);
  const written = writtenRows(changes[name], query.kinds);
  const call = `toHaveWritten(${[JSON.stringify(name), ...(match === undefined ? [] : [show(match)])].join(', ')})`;
  const what = query.kinds.length === 3 ? 'row' : `${query.kinds.join(' or ')} row`;
  const listing = (): string => describeTable(name, changes[name], query.kinds);

  if (!query.where) {
    const count = written.length;
    if (query.count === undefined) {
      const pass = count > 0;
      return {
        name: 'toHaveWritten',
        pass,
        actual: Object.keys(changes).sort(),
        expected: pass ? Object.keys(changes).sort() : [...Object.keys(changes), name].sort(),
        message: () =>
          pass
            ? `${call}: expected no ${what} of ${name} to have changed, but ${listing()}`
            : `${call}: expected a ${what} of ${name} to have changed, but none did.\n${describeAll(changes)}`,
      };
    }
    const pass = count === query.count;
    return {
      name: 'toHaveWritten',
      pass,
      actual: count,
      expected: query.count,
      message: () => `${call}: expected ${pass ? 'not ' : ''}${plural(query.count!, what)} of ${name} to have changed, and ${count} did: ${listing()}`,
    };
  }

  const where = query.where;
  const matching = written.filter((entry) => matchesPartial(entry.row, where));
  const pass = query.count === undefined ? matching.length > 0 : matching.length === query.count;
  if (query.count !== undefined) {
    return {
      name: 'toHaveWritten',
      pass,
      actual: matching.length,
      expected: query.count,
      message: () =>
        `${call}: expected ${pass ? 'not ' : ''}${plural(query.count!, what)} of ${name} matching ${show(where)}, and ${matching.length} matched.\n` +
        (matching.length > 0 ? `Matching:\n${showRows(matching)}\n` : '') +
        `All changes: ${listing()}`,
    };
  }
  if (pass) {
    return {
      name: 'toHaveWritten',
      pass,
      actual: subsetLike(matching[0]!.row, where),
      expected: where,
      message: () => `${call}: expected no ${what} of ${name} matching ${show(where)}, but ${plural(matching.length, 'row')} matched:\n${showRows(matching)}`,
    };
  }
  const closest = closestRow(written, where);
  return {
    name: 'toHaveWritten',
    pass,
    // The closest row cut down to the expected columns, with what matched shown as expected: the
    // runner's diff then shows only the columns that differ.
    actual: closest ? subsetLike(closest.row, where) : undefined,
    expected: closest ? expectedLike(closest.row, where) : where,
    message: () =>
      `${call}: expected a ${what} of ${name} matching ${show(where)}, but ${written.length === 0 ? `none changed.\n${describeAll(changes)}` : `none of the ${plural(written.length, 'row')} changed does.`}` +
      (closest ? `\nClosest (${closest.kind}), differs in ${differingColumns(closest.row, where).join(', ')}:\n${showRows([closest])}\nAll changes: ${listing()}` : ''),
  };
}

export function expectChangedOnly(changes: FarmChanges, tables: TablePattern | readonly TablePattern[], options: ExpectationOptions = {}): ExpectationResult {
  const patterns = checkPatterns(tables, options.knownTables);
  const changed = Object.keys(changes).sort();
  const allowed = changed.filter((name) => patterns.some((pattern) => (typeof pattern === 'string' ? pattern === name : pattern.test(name))));
  const others = changed.filter((name) => !allowed.includes(name));
  const pass = others.length === 0;
  const call = `toHaveChangedOnly(${show(Array.isArray(tables) ? tables : [tables])})`;
  return {
    name: 'toHaveChangedOnly',
    pass,
    // The tables changed against those of them allowed: the diff shows the others.
    actual: changed,
    expected: allowed,
    message: () =>
      pass
        ? `${call}: expected a table outside the list to have changed, but ${changed.length === 0 ? 'nothing changed' : `only ${changed.join(', ')} did`}`
        : `${call}: expected no other table to have changed, but ${others.join(', ')} did:\n` + others.map((name) => `  ${describeTable(name, changes[name], CHANGE_KINDS)}`).join('\n'),
  };
}

/**
 * Whether `actual` has the values of `expected` (toMatchObject's rules: objects partially, arrays
 * whole), plus: RegExp against a string, an ISO string against a Date at that instant,
 * asymmetric matchers (anything with `asymmetricMatch`).
 */
export function matchesPartial(actual: unknown, expected: unknown): boolean {
  if (isAsymmetric(expected)) return expected.asymmetricMatch(actual);
  if (expected instanceof RegExp) return typeof actual === 'string' ? expected.test(actual) : actual instanceof RegExp && String(actual) === String(expected);
  if (actual instanceof Date && typeof expected === 'string') return !Number.isNaN(Date.parse(expected)) && Date.parse(expected) === actual.getTime();
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((value, i) => matchesPartial(actual[i], value));
  if (isPlainObject(expected)) {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return false;
    return Object.keys(expected).every((key) => key in actual && matchesPartial((actual as Record<string, unknown>)[key], expected[key]));
  }
  return sameValue(actual, expected);
}

function writtenRows(changes: TableChanges | undefined, kinds: readonly ChangeKind[]): WrittenRow[] {
  if (!changes) return [];
  const rows: WrittenRow[] = [];
  if (kinds.includes('inserted')) rows.push(...changes.inserted.map((row) => ({ kind: 'inserted' as const, row })));
  if (kinds.includes('updated')) rows.push(...changes.updated.map((update) => ({ kind: 'updated' as const, row: update.after, columns: update.columns })));
  if (kinds.includes('deleted')) rows.push(...changes.deleted.map((row) => ({ kind: 'deleted' as const, row })));
  return rows;
}

interface NormalQuery {
  where?: PartialRow;
  count?: number;
  kinds: readonly ChangeKind[];
}

function toQuery(match: WrittenMatch | undefined): NormalQuery {
  if (match === undefined) return { kinds: CHANGE_KINDS };
  if (typeof match === 'number') return { count: checkCount(match, 'toHaveWritten(table, count)'), kinds: CHANGE_KINDS };
  if (!isPlainObject(match)) {
    throw invalid(`toHaveWritten(table, match): match must be a number, a partial row or { where, count?, kind? }, got ${show(match)}`);
  }
  if (!('where' in match)) return { where: match, kinds: CHANGE_KINDS };
  const query = match as unknown as WrittenQuery;
  if (!isPlainObject(query.where)) throw invalid(`toHaveWritten(table, { where }): where must be a partial row ({} for every row), got ${show(query.where)}`);
  const extra = Object.keys(query).filter((key) => !['where', 'count', 'kind'].includes(key));
  if (extra.length > 0) throw invalid(`toHaveWritten(table, { where, … }): unknown key ${extra.map((key) => JSON.stringify(key)).join(', ')} (put column values inside where)`);
  const kinds = query.kind === undefined ? CHANGE_KINDS : Array.isArray(query.kind) ? query.kind : [query.kind];
  for (const kind of kinds) {
    if (!CHANGE_KINDS.includes(kind as ChangeKind)) throw invalid(`toHaveWritten(table, { kind }): kind must be ${CHANGE_KINDS.map((k) => `'${k}'`).join(', ')} or a list of them, got ${show(kind)}`);
  }
  if (kinds.length === 0) throw invalid('toHaveWritten(table, { kind: [] }): name at least one kind of change');
  return { where: query.where, count: query.count === undefined ? undefined : checkCount(query.count, 'toHaveWritten(table, { count })'), kinds: kinds as ChangeKind[] };
}

function checkCount(count: unknown, where: string): number {
  if (typeof count === 'number' && Number.isInteger(count) && count >= 0) return count;
  throw invalid(`${where}: count must be a whole number of rows, 0 or more, got ${show(count)}`);
}

function checkTable(table: unknown, known: readonly string[] | undefined): string {
  if (typeof table !== 'string' || table === '') throw invalid(`toHaveWritten(table): table must be a table name such as 'batch_mortalityevent', got ${show(table)}`);
  const name = changesTableName(table);
  if (known && !known.includes(name)) {
    const close = known.filter((candidate) => candidate.includes(name) || name.includes(candidate) || sharedPrefix(candidate, name) >= Math.min(8, name.length - 1));
    throw new AquaseedError(
      'AQUASEED_INVALID_OPTION',
      `toHaveWritten(${JSON.stringify(table)}): the database has no table ${JSON.stringify(name)}`,
      close.length > 0 ? `did you mean ${close.slice(0, 3).map((c) => JSON.stringify(c)).join(' or ')}?` : 'name a table of the database: public tables by their bare name, others as schema.table',
    );
  }
  return name;
}

function checkPatterns(tables: TablePattern | readonly TablePattern[], known: readonly string[] | undefined): TablePattern[] {
  const list: unknown[] = Array.isArray(tables) ? [...(tables as unknown[])] : [tables];
  return list.map((pattern) => {
    if (pattern instanceof RegExp) return pattern;
    if (typeof pattern !== 'string' || pattern === '') {
      throw invalid(`toHaveChangedOnly(tables): each entry must be a table name or a RegExp (e.g. /^django_session$/), got ${show(pattern)}`);
    }
    const name = changesTableName(pattern);
    if (known && !known.includes(name)) {
      throw new AquaseedError('AQUASEED_INVALID_OPTION', `toHaveChangedOnly(…): the database has no table ${JSON.stringify(name)}`, 'name tables of the database, or use a RegExp for a family of tables');
    }
    return name;
  });
}

function invalid(message: string): AquaseedError {
  return new AquaseedError('AQUASEED_INVALID_OPTION', message, "e.g. toHaveWritten('batch_mortalityevent', { count: 250 }) or { where: { cause: 'DISEASE' }, count: 1 }");
}

function sharedPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** The written row sharing the most expected values (the first of equals). */
function closestRow(rows: readonly WrittenRow[], where: PartialRow): WrittenRow | undefined {
  let best: WrittenRow | undefined;
  let bestScore = -1;
  for (const entry of rows) {
    const score = Object.keys(where).filter((key) => key in entry.row && matchesPartial(entry.row[key], where[key])).length;
    if (score > bestScore) {
      best = entry;
      bestScore = score;
    }
  }
  return best;
}

function differingColumns(row: ChangedRow, where: PartialRow): string[] {
  return Object.keys(where).filter((key) => !(key in row) || !matchesPartial(row[key], where[key]));
}

/** `row` cut down to the keys of `where` (a missing column stays missing). */
function subsetLike(row: ChangedRow, where: PartialRow): PartialRow {
  const subset: PartialRow = {};
  for (const key of Object.keys(where)) if (key in row) subset[key] = row[key];
  return subset;
}

/** `where` with every value that matched replaced by the row's own, so only differences show. */
function expectedLike(row: ChangedRow, where: PartialRow): PartialRow {
  const expected: PartialRow = {};
  for (const key of Object.keys(where)) expected[key] = key in row && matchesPartial(row[key], where[key]) ? row[key] : where[key];
  return expected;
}

function describeTable(name: string, changes: TableChanges | undefined, kinds: readonly ChangeKind[]): string {
  if (!changes) return `${name} did not change`;
  const counts = CHANGE_KINDS.map((kind) => `${changes[kind].length} ${kind}`).join(', ');
  const rows = writtenRows(changes, kinds);
  return `${name}: ${counts}${changes.whole ? ' (no primary key: rows compared whole)' : ''}${rows.length > 0 ? `\n${showRows(rows)}` : ''}`;
}

function describeAll(changes: FarmChanges): string {
  const names = Object.keys(changes).sort();
  if (names.length === 0) return 'Nothing changed in any table.';
  return `Tables changed: ${names.map((name) => `${name} (${CHANGE_KINDS.map((kind) => `${changes[name]![kind].length} ${kind}`).join(', ')})`).join('; ')}`;
}

function showRows(rows: readonly WrittenRow[]): string {
  const lines = rows.slice(0, SHOWN_ROWS).map((entry) => `    ${entry.kind.padEnd(8)} ${show(entry.row)}${entry.columns ? `  (changed: ${entry.columns.join(', ')})` : ''}`);
  if (rows.length > SHOWN_ROWS) lines.push(`    … and ${rows.length - SHOWN_ROWS} more`);
  return lines.join('\n');
}

function show(value: unknown): string {
  return inspect(value, { depth: 4, breakLength: Infinity, compact: true, maxStringLength: 200 });
}

function plural(count: number, what: string): string {
  return `${count} ${what}${count === 1 ? '' : 's'}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function isAsymmetric(value: unknown): value is { asymmetricMatch(other: unknown): boolean } {
  return !!value && typeof value === 'object' && typeof (value as { asymmetricMatch?: unknown }).asymmetricMatch === 'function';
}
