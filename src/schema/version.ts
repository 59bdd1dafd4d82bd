import { createHash } from 'node:crypto';
import { tables } from './tables/index.js';

/**
 * Bump when the table definitions change (a test pins the fingerprint below to this number, so a
 * change without a bump fails). Part of the cache key: a new schema never restores an old snapshot.
 */
export const SCHEMA_VERSION = 3;

/**
 * sha256 of the table definitions as data, by table name: the modules' tables come in through
 * their namespace objects, whose key order Node's ESM (sorted) and Vite's transform (as declared)
 * do not share, so the built package and the tests would otherwise hash different text.
 */
export function schemaFingerprint(): string {
  const byName = Object.keys(tables)
    .sort()
    .map((name) => [name, tables[name as keyof typeof tables]]);
  // modelRequired is a validation fact of the model (which NULLs full_clean refuses): it changes no DDL and no row.
  return createHash('sha256').update(JSON.stringify(byName, (key, value: unknown) => (key === 'modelRequired' ? undefined : value))).digest('hex');
}
