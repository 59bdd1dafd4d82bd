/**
 * Encodes rows as PostgreSQL COPY text lines. One encoder per table is compiled from its
 * definition into a straight-line function (no per-cell loop or lookup), since this runs once per
 * generated row: hundreds of thousands per batch.
 */
import { tables, type Row, type TableName } from './tables/index.js';

export type RowEncoder<N extends TableName> = (row: Row<N>) => string;

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_GLOBAL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** COPY text escaping for one string value. */
export function escapeCopyText(value: string): string {
  return SPECIAL.test(value) ? value.replace(SPECIAL_GLOBAL, (c) => ESCAPES[c] as string) : value;
}

function missing(table: string, column: string): never {
  throw new TypeError(`row for ${table} has no value for column ${column} (use null for NULL)`);
}

const helpers = {
  text(value: unknown): string {
    return value === null ? '\\N' : escapeCopyText(value as string);
  },
  number(value: unknown): string {
    return value === null ? '\\N' : String(value);
  },
  boolean(value: unknown): string {
    return value === null ? '\\N' : value ? 't' : 'f';
  },
  json(value: unknown): string {
    return value === null ? '\\N' : escapeCopyText(JSON.stringify(value));
  },
  missing,
};

function helperFor(type: string): keyof typeof helpers {
  const base = type.endsWith('?') ? type.slice(0, -1) : type;
  if (base === 'boolean') return 'boolean';
  if (base === 'jsonb') return 'json';
  if (base === 'bigint' || base === 'integer' || base === 'smallint' || base === 'float8' || base.startsWith('numeric')) {
    return 'number';
  }
  return 'text';
}

const cache = new Map<TableName, RowEncoder<TableName>>();

export function rowEncoder<N extends TableName>(table: N): RowEncoder<N> {
  let encoder = cache.get(table);
  if (!encoder) {
    const columns = Object.entries(tables[table].columns);
    const body = columns
      .map(([column, type]) => {
        const key = JSON.stringify(column);
        return `(r[${key}] === undefined ? h.missing(${JSON.stringify(table)}, ${key}) : h.${helperFor(type)}(r[${key}]))`;
      })
      .join(" + '\\t' + ");
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- compiled once per table, from our own definitions
    encoder = new Function('h', `return function encode(r) { return ${body} + '\\n'; };`)(helpers) as RowEncoder<TableName>;
    cache.set(table, encoder);
  }
  return encoder as RowEncoder<N>;
}

/** The column list of a table's COPY statement, in definition order. */
export function copyColumns(table: TableName): string {
  return Object.keys(tables[table].columns)
    .map((c) => `"${c}"`)
    .join(', ');
}
