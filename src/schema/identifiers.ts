import { createHash } from 'node:crypto';

/** A double-quoted SQL identifier (`order` is a column name in AquaMind). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A single-quoted SQL string literal (for statements that take no parameters: DDL, COMMENT). */
export function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** `schema.table`, both quoted. */
export function qualified(schema: string, table: string): string {
  return `${ident(schema)}.${ident(table)}`;
}

const MAX_NAME_LENGTH = 63;

/**
 * Django's `_create_index_name`: the names AquaMind's migrations give FK constraints
 * (`…_fk_<table>_<col>`), FK indexes and `_like` indexes, so an app sees the constraint names it
 * expects. md5 over the table and column names, truncated the way Django truncates.
 */
export function djangoIndexName(table: string, columns: readonly string[], suffix = ''): string {
  const hash = createHash('md5');
  for (const part of [table, ...columns]) hash.update(part);
  let hashSuffix = `${hash.digest('hex').slice(0, 8)}${suffix}`;
  const joined = columns.join('_');
  let name = `${table}_${joined}_${hashSuffix}`;
  if (name.length <= MAX_NAME_LENGTH) return name;
  if (hashSuffix.length > MAX_NAME_LENGTH / 3) hashSuffix = hashSuffix.slice(0, Math.floor(MAX_NAME_LENGTH / 3));
  const otherLength = Math.floor((MAX_NAME_LENGTH - hashSuffix.length) / 2) - 1;
  name = `${table.slice(0, otherLength)}_${joined.slice(0, otherLength)}_${hashSuffix}`;
  if (name.startsWith('_') || /^\d/.test(name)) name = `D${name.slice(0, -1)}`;
  return name;
}

/**
 * PostgreSQL's own name for a constraint it names itself (`makeObjectName`): `<name1>_<name2>_<label>`,
 * the longer of the two names shortened a character at a time until the whole fits in 63 bytes.
 * Django leaves primary keys, `unique=True` columns and field CHECKs unnamed in its CREATE TABLE,
 * so AquaMind's database holds these names (`…_pkey`, `…_key`, `…_check`).
 */
export function postgresObjectName(name1: string, name2: string | null, label: string): string {
  const overhead = (name2 === null ? 0 : 1) + label.length + 1;
  const available = MAX_NAME_LENGTH - overhead;
  let first = name1.length;
  let second = name2?.length ?? 0;
  while (first + second > available) {
    if (first > second) first--;
    else second--;
  }
  return [name1.slice(0, first), ...(name2 === null ? [] : [name2.slice(0, second)]), label].join('_');
}
