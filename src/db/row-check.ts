/**
 * Checks a generated row against its table definition the way AquaMind's models would validate it:
 * every column present (NULL only where allowed), choice fields holding one of the model's values,
 * numbers within their declared precision, text within varchar lengths. Used by the tests of the
 * farm and the engine; the COPY path relies on the same definitions.
 */
import { tables, type TableName } from '../schema/tables/index.js';
import type { TableSpec } from '../schema/table.js';

export function checkRow(table: TableName, row: Record<string, unknown>): string[] {
  const spec: TableSpec = tables[table];
  const problems: string[] = [];
  const columns = spec.columns;
  for (const key of Object.keys(row)) {
    if (!(key in columns)) problems.push(`${table}.${key}: not a column of ${table}`);
  }
  for (const [column, type] of Object.entries(columns)) {
    const value = row[column];
    const where = `${table}.${column}`;
    const nullable = type.endsWith('?');
    const base = nullable ? type.slice(0, -1) : type;
    if (value === undefined) {
      problems.push(`${where}: missing`);
      continue;
    }
    if (value === null) {
      if (!nullable) problems.push(`${where}: NULL in a NOT NULL column`);
      else if (spec.modelRequired?.includes(column)) problems.push(`${where}: NULL, but the model requires it (null=True without blank=True)`);
      continue;
    }
    const choices = spec.choices?.[column];
    if (choices && !choices.includes(String(value))) {
      problems.push(`${where}: ${JSON.stringify(value)} is not one of ${choices.join('|')}`);
    }
    problems.push(...checkValue(where, base, value));
  }
  return problems;
}

function checkValue(where: string, type: string, value: unknown): string[] {
  const numeric = /^numeric\((\d+),(\d+)\)$/.exec(type);
  if (numeric) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return [`${where}: ${String(value)} is not a finite number`];
    const integerDigits = Number(numeric[1]) - Number(numeric[2]);
    const rounded = Number(value.toFixed(Number(numeric[2])));
    return Math.abs(rounded) < 10 ** integerDigits ? [] : [`${where}: ${value} overflows ${type}`];
  }
  const varchar = /^varchar\((\d+)\)$/.exec(type);
  if (varchar) {
    if (typeof value !== 'string') return [`${where}: ${String(value)} is not a string`];
    return value.length <= Number(varchar[1]) ? [] : [`${where}: ${value.length} characters exceed ${type}`];
  }
  switch (type) {
    case 'bigint':
      return Number.isSafeInteger(value) ? [] : [`${where}: ${String(value)} is not an integer`];
    case 'integer':
      return Number.isInteger(value) && Math.abs(value as number) <= 2147483647 ? [] : [`${where}: ${String(value)} is not an int4`];
    case 'smallint':
      return Number.isInteger(value) && Math.abs(value as number) <= 32767 ? [] : [`${where}: ${String(value)} is not an int2`];
    case 'float8':
      return typeof value === 'number' && Number.isFinite(value) ? [] : [`${where}: ${String(value)} is not a finite number`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${where}: ${String(value)} is not a boolean`];
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? [] : [`${where}: ${String(value)} is not YYYY-MM-DD`];
    case 'time':
      return typeof value === 'string' && /^\d{2}:\d{2}(:\d{2})?$/.test(value) ? [] : [`${where}: ${String(value)} is not HH:MM[:SS]`];
    case 'timestamptz':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?\+00$/.test(value)
        ? []
        : [`${where}: ${String(value)} is not a 'YYYY-MM-DD HH:MM:SS+00' timestamp`];
    case 'text':
      return typeof value === 'string' ? [] : [`${where}: ${String(value)} is not a string`];
    case 'jsonb':
      return [];
    default:
      return [`${where}: unknown type ${type}`];
  }
}
