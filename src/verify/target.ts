/**
 * What a check runs against: a connection URL, a Kysely instance, or anything holding one (the
 * `Farm` handle of `seedFarm`). A URL gets its own short-lived pool, opened and closed here, so
 * `verifyFarm(url)` leaves no connection behind.
 */
import type { Kysely } from 'kysely';
import { AquaseedError } from '../core/errors.js';
import { createKysely } from '../db/pool.js';
import type { Database } from '../schema/tables/index.js';
import { openExternal } from '../provision/external.js';

export type FarmTarget =
  | string
  | Kysely<Database>
  | {
      db: Kysely<Database>;
      /** A Farm handle carries its schedule; its `asOf` is the farm's last day. */
      schedule?: { asOf?: string };
    };

/** Duck-typed so a Kysely from another copy of the package (or a Transaction) is accepted. */
function isKysely(value: unknown): value is Kysely<Database> {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { selectFrom?: unknown; executeQuery?: unknown };
  return typeof candidate.selectFrom === 'function' && typeof candidate.executeQuery === 'function';
}

export function isFarmTarget(value: unknown): value is FarmTarget {
  if (typeof value === 'string') return true;
  if (isKysely(value)) return true;
  return typeof value === 'object' && value !== null && isKysely((value as { db?: unknown }).db);
}

/** Throws a clear error for anything that is not a FarmTarget; `what` names the caller. */
export function assertFarmTarget(value: unknown, what: string): asserts value is FarmTarget {
  if (isFarmTarget(value)) return;
  const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  throw new AquaseedError(
    'AQUASEED_INVALID_OPTION',
    `${what} needs a Farm, a Kysely<Database> or a connection URL; got ${got}`,
    'pass the farm returned by seedFarm(), farm.db, or farm.url',
  );
}

/** The farm's last day when the target knows it (a Farm handle's schedule.asOf). */
export function targetAsOf(target: FarmTarget): string | undefined {
  if (typeof target === 'string' || isKysely(target)) return undefined;
  return target.schedule?.asOf;
}

/**
 * Runs `fn` with a Kysely for the target. A missing AquaMind table becomes AQUASEED_NOT_SEEDED
 * instead of PostgreSQL's bare "relation does not exist".
 */
export async function withFarmDb<T>(target: FarmTarget, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  assertFarmTarget(target, 'verify');
  if (typeof target !== 'string') return explainMissingTables(() => fn(isKysely(target) ? target : target.db));
  // openExternal checks reachability, credentials and the database first, each with its own fix.
  await openExternal(target);
  const db = createKysely(target);
  try {
    return await explainMissingTables(() => fn(db));
  } finally {
    await db.destroy();
  }
}

async function explainMissingTables<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const pgError = error as { code?: unknown; message?: unknown };
    if (pgError.code === '42P01') {
      throw new AquaseedError(
        'AQUASEED_NOT_SEEDED',
        `the database has no AquaMind farm to verify (${String(pgError.message)})`,
        'seed it first (seedFarm() or `aquaseed seed <preset>`), or point at the database that holds the farm',
        { cause: error },
      );
    }
    throw error;
  }
}
