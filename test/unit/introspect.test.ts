/**
 * The existing-schema compatibility rule: which catalog column types and nullabilities can hold the
 * values aquaseed writes (src/db/existing-columns.ts), on the spellings format_type() returns.
 */
import { describe, expect, it } from 'vitest';
import { columnMismatches, formatMismatch, normaliseType, typeAccepts } from '../../src/db/existing-columns.js';
import type { CatalogColumn, CatalogColumns } from '../../src/db/introspect.js';
import { tables, tableNames } from '../../src/schema/tables/index.js';

const column = (type: string, notNull = true, extra: Partial<CatalogColumn> = {}): CatalogColumn => ({
  type,
  notNull,
  filledByDatabase: false,
  generated: false,
  ...extra,
});

describe('typeAccepts', () => {
  it('accepts the same type in format_type spelling', () => {
    expect(typeAccepts('double precision', 'float8')).toBe(true);
    expect(typeAccepts('timestamp with time zone', 'timestamptz')).toBe(true);
    expect(typeAccepts('time without time zone', 'time')).toBe(true);
    expect(typeAccepts('character varying(100)', 'varchar(100)')).toBe(true);
    expect(typeAccepts('numeric(10,2)', 'numeric(10,2)')).toBe(true);
    expect(typeAccepts('jsonb', 'jsonb')).toBe(true);
  });

  it('accepts wider integers and refuses narrower ones', () => {
    expect(typeAccepts('bigint', 'integer')).toBe(true);
    expect(typeAccepts('integer', 'smallint')).toBe(true);
    expect(typeAccepts('numeric', 'bigint')).toBe(true);
    expect(typeAccepts('integer', 'bigint')).toBe(false);
    expect(typeAccepts('smallint', 'integer')).toBe(false);
  });

  it('accepts numerics that lose no digit on either side of the point', () => {
    expect(typeAccepts('numeric(12,3)', 'numeric(10,2)')).toBe(true);
    expect(typeAccepts('numeric', 'numeric(10,2)')).toBe(true);
    expect(typeAccepts('numeric(10,3)', 'numeric(10,2)')).toBe(false);
    expect(typeAccepts('numeric(10,1)', 'numeric(10,2)')).toBe(false);
    expect(typeAccepts('double precision', 'numeric(10,2)')).toBe(false);
  });

  it('accepts longer or unbounded text and refuses shorter', () => {
    expect(typeAccepts('character varying(200)', 'varchar(100)')).toBe(true);
    expect(typeAccepts('text', 'varchar(100)')).toBe(true);
    expect(typeAccepts('character varying', 'text')).toBe(true);
    expect(typeAccepts('character varying(50)', 'varchar(100)')).toBe(false);
    expect(typeAccepts('character varying(100)', 'text')).toBe(false);
  });

  it('refuses a different kind of value', () => {
    expect(typeAccepts('timestamp without time zone', 'timestamptz')).toBe(false);
    expect(typeAccepts('real', 'float8')).toBe(false);
    expect(typeAccepts('json', 'jsonb')).toBe(false);
    expect(typeAccepts('text', 'boolean')).toBe(false);
    expect(normaliseType('character varying(20)')).toBe('varchar(20)');
  });
});

describe('columnMismatches', () => {
  const spec = { name: 't', columns: { id: 'bigint', name: 'varchar(10)', note: 'text?' } } as const;

  it('finds nothing wrong in the catalog our own DDL creates', () => {
    const catalog: CatalogColumns = new Map(
      tableNames.map((name) => [
        name,
        new Map(
          Object.entries(tables[name].columns).map(([c, type]) => {
            const base = (type as string).replace(/\?$/, '');
            const spelled = base.replace(/^varchar/, 'character varying').replace(/^float8$/, 'double precision').replace(/^timestamptz$/, 'timestamp with time zone').replace(/^time$/, 'time without time zone');
            return [c, column(spelled, !(type as string).endsWith('?'))];
          }),
        ),
      ]),
    );
    expect(columnMismatches(tableNames.map((name) => tables[name]), catalog)).toEqual([]);
  });

  it('lists missing tables and columns, narrower types, NOT NULL where we write NULL, and unfilled NOT NULL extras', () => {
    const catalog: CatalogColumns = new Map([
      [
        't',
        new Map([
          ['id', column('integer')],
          ['note', column('text', true)],
          ['extra', column('integer', true)],
          ['defaulted', column('integer', true, { filledByDatabase: true })],
          ['optional', column('integer', false)],
        ]),
      ],
    ]);
    const found = columnMismatches([spec, { name: 'gone', columns: { id: 'bigint' } }], catalog).map(formatMismatch);
    expect(found).toEqual([
      't.id: expected bigint, found integer NOT NULL',
      't.name: expected varchar(10), found no such column',
      't.note: expected text NULL, found text NOT NULL',
      't.extra: expected NULL-able or a DEFAULT (aquaseed does not write it), found integer NOT NULL without a default',
      'gone: expected a table, found no such table',
    ]);
  });

  it('refuses a generated column aquaseed would write into', () => {
    const catalog: CatalogColumns = new Map([
      ['t', new Map([['id', column('bigint')], ['name', column('character varying(10)', true, { generated: true, filledByDatabase: true })], ['note', column('text', false)]])],
    ]);
    expect(columnMismatches([spec], catalog).map(formatMismatch)).toEqual(['t.name: expected varchar(10), found character varying(10) NOT NULL GENERATED']);
  });
});
