import { createHash } from 'node:crypto';
import { tables } from './tables/index.js';

/**
 * Bump when the table definitions change (a test pins the fingerprint below to this number, so a
 * change without a bump fails). Part of the cache key: a new schema never restores an old snapshot.
 */
export const SCHEMA_VERSION = 3;

/** sha256 of the table definitions as data. */
export function schemaFingerprint(): string {
  return createHash('sha256').update(JSON.stringify(tables)).digest('hex');
}
