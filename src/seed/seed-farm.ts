/**
 * `seedFarm()`: resolve the schedule, choose the server, seed (or restore, or find the farm
 * already there), and hand back a `Farm`. Which way the farm comes is decided here; each way is a
 * module of src/seed/sources.
 */
import { AquaseedError } from '../core/errors.js';
import { scheduleKey } from '../cache/key.js';
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
import { provisionTarget } from './target.js';

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
  const key = scheduleKey(schedule);
  const started = performance.now();
  // What killed processes left is removed first (a stale server `up` adopts excepted).
  const adopting = request.adoptStaleServer ? request.cluster : undefined;
  await sweepAndSay(request.cacheDir ?? defaultCacheDir(), noticeChannel(request), adopting ? { adopting } : {});
  request.onProgress?.({ phase: 'provision' });
  const provider = await chooseProvider(request);
  if (usesPhysicalCache(request, provider)) return seedThroughPhysicalCache(request, schedule, key);
  const target = await provisionTarget(request, schedule, provider);
  const serverSeconds = (performance.now() - started) / 1000;
  try {
    const existing = request.reuse ? await readMarker(target.url, key) : null;
    const fromTemplate = existing ? null : await fromContainerTemplate(target, key);
    const result = existing ?? fromTemplate ?? (await seedWithLogicalCache(request, target, schedule, key));
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
