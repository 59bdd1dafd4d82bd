/**
 * Whether an existing database's columns can take the rows aquaseed writes. The rule (documented in
 * docs/aquamind.md) is that every value aquaseed may write must be stored unchanged:
 *
 * - integers: the column is the same integer type or a wider one (smallint < integer < bigint) or
 *   unconstrained `numeric`; a narrower one is a mismatch even when today's IDs would fit, because
 *   a larger preset would overflow it half-way through a load;
 * - numeric(p,s): numeric(P,S) with S >= s and P - S >= p - s (no digit lost on either side of the
 *   point), or unconstrained `numeric`;
 * - float8: double precision only (real rounds, numeric changes what a query returns);
 * - varchar(n): varchar(m) with m >= n, unbounded varchar, or text; text: text or unbounded varchar;
 * - boolean, date, time, timestamptz, jsonb: exactly that type (timestamp without time zone would
 *   shift every value by the session's zone);
 * - nullability: a column aquaseed writes NULLs into must be NULL-able; a NOT NULL column
 *   aquaseed does not write must be filled by the database (a default, identity or generated);
 *   a generated column cannot be written at all.
 */
import type { ColumnSpec } from '../schema/table.js';
import type { CatalogColumns } from './introspect.js';

export interface ColumnMismatch {
  table: string;
  /** Null when the whole table is missing. */
  column: string | null;
  expected: string;
  found: string;
}

export interface ExpectedTable {
  name: string;
  columns: Readonly<Record<string, ColumnSpec>>;
}

/** Every missing or incompatible table and column, in table order. */
export function columnMismatches(expected: readonly ExpectedTable[], catalog: CatalogColumns): ColumnMismatch[] {
  const out: ColumnMismatch[] = [];
  for (const table of expected) {
    const found = catalog.get(table.name);
    if (!found) {
      out.push({ table: table.name, column: null, expected: 'a table', found: 'no such table' });
      continue;
    }
    for (const [column, spec] of Object.entries(table.columns)) {
      const nullable = spec.endsWith('?');
      const ours = nullable ? spec.slice(0, -1) : spec;
      const expectedText = `${ours}${nullable ? ' NULL' : ''}`;
      const actual = found.get(column);
      if (!actual) {
        out.push({ table: table.name, column, expected: expectedText, found: 'no such column' });
        continue;
      }
      const actualText = `${actual.type}${actual.notNull ? ' NOT NULL' : ' NULL'}${actual.generated ? ' GENERATED' : ''}`;
      if (actual.generated || !typeAccepts(actual.type, ours) || (nullable && actual.notNull)) {
        out.push({ table: table.name, column, expected: expectedText, found: actualText });
      }
    }
    for (const [column, actual] of found) {
      if (column in table.columns || !actual.notNull || actual.filledByDatabase) continue;
      out.push({ table: table.name, column, expected: 'NULL-able or a DEFAULT (aquaseed does not write it)', found: `${actual.type} NOT NULL without a default` });
    }
  }
  return out;
}

const INTEGER_WIDTH: Readonly<Record<string, number>> = { smallint: 2, integer: 4, bigint: 8 };

/** Whether a column of `found` type (format_type spelling) stores every value of our `ours` type unchanged. */
export function typeAccepts(found: string, ours: string): boolean {
  const db = normaliseType(found);
  if (db === ours) return true;
  const ourWidth = INTEGER_WIDTH[ours];
  if (ourWidth !== undefined) {
    const dbWidth = INTEGER_WIDTH[db];
    return db === 'numeric' || (dbWidth !== undefined && dbWidth >= ourWidth);
  }
  const ourNumeric = /^numeric\((\d+),(\d+)\)$/.exec(ours);
  if (ourNumeric) {
    if (db === 'numeric') return true;
    const dbNumeric = /^numeric\((\d+),(\d+)\)$/.exec(db);
    if (!dbNumeric) return false;
    const [p, s] = [Number(ourNumeric[1]), Number(ourNumeric[2])];
    const [P, S] = [Number(dbNumeric[1]), Number(dbNumeric[2])];
    return S >= s && P - S >= p - s;
  }
  const ourVarchar = /^varchar\((\d+)\)$/.exec(ours);
  if (ourVarchar) {
    if (db === 'text' || db === 'varchar') return true;
    const dbVarchar = /^varchar\((\d+)\)$/.exec(db);
    return dbVarchar !== null && Number(dbVarchar[1]) >= Number(ourVarchar[1]);
  }
  if (ours === 'text') return db === 'varchar';
  return false;
}

/** format_type spellings to the spelling of our column definitions. */
export function normaliseType(formatted: string): string {
  return formatted
    .replace(/^character varying/, 'varchar')
    .replace(/^double precision$/, 'float8')
    .replace(/^time without time zone$/, 'time')
    .replace(/^timestamp with time zone$/, 'timestamptz')
    .replace(/\s+/g, '');
}

/** `table.column: expected X, found Y`, one per line. */
export function formatMismatch(mismatch: ColumnMismatch): string {
  const where = mismatch.column === null ? mismatch.table : `${mismatch.table}.${mismatch.column}`;
  return `${where}: expected ${mismatch.expected}, found ${mismatch.found}`;
}
