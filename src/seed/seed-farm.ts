/**
 * `seedFarm()`: resolve the schedule, choose the server, seed (or restore, or find the farm
 * already there), and hand back a `Farm`. Which way the farm comes is decided here; each way is a
 * module of src/seed/sources.
 */
import { AquaseedError } from '../core/errors.js';
import { scheduleKey } from '../cache/key.js';
import { templateKey } from '../cache/migrate-key.js';
import { resolveSchedule } from '../preset-files/resolve.js';
import type { Schedule } from '../schedule/types.js';
import { validateSchedule } from '../schedule/validate.js';
import { createFarm, type Farm } from './farm.js';
import type { SeedFarmOptions } from './options.js';
import { chooseProvider } from './provider-choice.js';
import { noticeChannel, planOptions, seedRequest, type SeedRequest } from './request.js';
import { defaultCacheDir } from '../host/cache-dir.js';
import { sweepAndSay } from '../provision/sweep.js';
import { fromContainerTemplate, saveContainerTemplate } from './sources/container-template.js';
import { seedWithLogicalCache } from './sources/logical-cache.js';
import { seedThroughPhysicalCache, usesPhysicalCache } from './sources/physical-cache.js';
import { readMarker } from './sources/seeded-marker.js';
import { provisionTarget, type Target } from './target.js';
import { checkMigrate, emptyForMigrate, runMigrate, runSetup, type CheckedMigrate } from './migrate.js';

/**
 * Seeds a farm and returns its handle: a preset name (`single-batch`) or a preset/schedule file,
 * with options grouped as `server`, `cache`, `asOf`, `incidents`, `onProgress`, … (SeedFarmOptions).
 *
 * @example
 * const farm = await seedFarm('single-batch');
 * const farm = await seedFarm('tiny', { asOf: 'today', server: { url: process.env.TEST_DATABASE_URL! } });
 */
export function seedFarm(preset: string, options?: SeedFarmOptions): Promise<Farm>;
/** The same, the preset or schedule named in the options (`seedFarm({ schedule })`). */
export function seedFarm(options: SeedFarmOptions): Promise<Farm>;
export async function seedFarm(first: string | SeedFarmOptions, options?: SeedFarmOptions): Promise<Farm> {
  return seed(seedRequest(first, options));
}

/** The seed of one request: `seedFarm`'s, or the CLI's own. */
export async function seed(request: SeedRequest): Promise<Farm> {
  const schedule = scheduleOf(request);
  const migrate = request.migrate === undefined ? null : await checkMigrate(request.migrate);
  if (migrate && request.schema === 'existing') {
    throw new AquaseedError(
      'AQUASEED_INVALID_OPTION',
      "seedFarm got both migrate and schema: 'existing': migrate mode makes the database itself, from an empty one",
      "pass one of them: migrate (aquaseed runs your migration on an empty database), or schema: 'existing' (you migrated the database yourself)",
    );
  }
  // The farm's rows depend on the schedule alone (a logical snapshot holds them under this key);
  // the database, the app's schema included, on both.
  const rowsKey = scheduleKey(schedule);
  const key = templateKey(rowsKey, migrate);
  const started = performance.now();
  // What killed processes left is removed first (a stale server `up` adopts excepted).
  const adopting = request.adoptStaleServer ? request.cluster : undefined;
  await sweepAndSay(request.cacheDir ?? defaultCacheDir(), noticeChannel(request), adopting ? { adopting } : {});
  request.onProgress?.({ phase: 'provision' });
  const provider = await chooseProvider(request);
  if (usesPhysicalCache(request, provider)) return seedThroughPhysicalCache(request, schedule, key, migrate);
  const target = await provisionTarget(request, schedule, provider);
  const serverSeconds = (performance.now() - started) / 1000;
  try {
    const existing = request.reuse ? await readMarker(target.url, key) : null;
    const fromTemplate = existing ? null : await fromContainerTemplate(target, key);
    const result = existing ?? fromTemplate ?? (await seedMigratedOrNot(request, target, schedule, rowsKey, key, migrate));
    if (!existing && !fromTemplate) await saveContainerTemplate(target, key);
    const summary = {
      ...result,
      key,
      preset: schedule.preset,
      provider: target.server.provider,
      database: target.database,
      serverSeconds,
      ...('attached' in target.server && target.server.attached === true ? { sharedServer: true } : {}),
    };
    return createFarm(target.url, schedule, key, summary, target.server);
  } catch (error) {
    await target.server.stop();
    throw error;
  }
}

/** A seed through the logical cache, in migrate mode between the app's two commands. */
async function seedMigratedOrNot(request: SeedRequest, target: Target, schedule: Schedule, rowsKey: string, key: string, migrate: CheckedMigrate | null) {
  if (!migrate) return seedWithLogicalCache(request, target, schedule, rowsKey, key);
  await emptyForMigrate(target);
  const migrateSeconds = await runMigrate(target.url, migrate, request);
  const result = await seedWithLogicalCache(request, target, schedule, rowsKey, key, { migrated: true });
  const setupSeconds = await runSetup(target.url, migrate, request);
  return { ...result, timings: { ...result.timings, migrate: migrateSeconds, setup: setupSeconds } };
}

/** The request's schedule: planned from its preset, or its schedule (a file or an object) validated. */
function scheduleOf(request: SeedRequest): Schedule {
  const plan = planOptions(request);
  if (typeof request.schedule === 'string') return resolveSchedule(request.schedule, plan);
  if (request.schedule) return validateSchedule(request.schedule, 'seedFarm({ schedule })', plan);
  return resolveSchedule(requirePreset(request), plan);
}

function requirePreset(request: SeedRequest): string {
  if (typeof request.preset === 'string' && request.preset.length > 0) return request.preset;
  throw new AquaseedError(
    'AQUASEED_INVALID_OPTION',
    `seedFarm needs a preset or a schedule, got preset ${JSON.stringify(request.preset)}`,
    "call seedFarm('single-batch') or seedFarm({ schedule })",
  );
}
