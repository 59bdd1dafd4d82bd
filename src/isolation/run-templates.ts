/**
 * A runner's global setup, runner-free: each preset seeded once per run (the templates the
 * workers copy), the warm pools of copies, and the teardown that drops what the run's files
 * left behind (reset copies, slot copies, the shared copy) before the farms close.
 */
import { randomUUID } from 'node:crypto';
import type { MigrateSetting } from '../cache/migrate-key.js';
import type { ClonePool } from './clone-pool.js';
import type { Farm } from '../seed/farm.js';
import { seedFarm } from '../seed/seed-farm.js';
import { templateId, type FarmPoolOptions } from './isolation.js';
import { startPools } from './pools.js';
import { dropResetCopies, dropSharedCopy, dropSlotCopies } from './template.js';

/** One template a run seeds: a preset, with the app's migrate setting or without. */
export interface TemplateRequest {
  preset: string;
  migrate?: MigrateSetting;
}

export interface RunTemplates {
  /** Template id (templateId(): the preset, with its migrate setting) → URL of its template database. Nothing in this process connects to them. */
  templates: Record<string, string>;
  /** This run's id: `slot` copies made by an earlier run (a crash left them) are told apart by it. */
  runId: string;
  /** Stops the pools, drops the copies the run made, and closes the farms. */
  close(): Promise<void>;
}

export async function seedRunTemplates(requests: readonly (string | TemplateRequest)[], pool: FarmPoolOptions | false | undefined, workers: number): Promise<RunTemplates> {
  const wanted = uniqueRequests(requests);
  const farms: Farm[] = [];
  const pools: ClonePool[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(pools.map((each) => each.close()));
    for (const farm of farms) {
      // A copy left behind does not fail a finished run, and every farm must still close: say so.
      const left = (error: unknown) => process.stderr.write(`aquaseed: could not drop the run's copies of ${farm.summary.database}: ${(error as Error).message}\n`);
      await dropSharedCopy(farm.url).catch(left);
      await dropResetCopies(farm.url).catch(left);
      await dropSlotCopies(farm.url).catch(left);
    }
    await Promise.all(farms.map((farm) => farm.close()));
  };
  try {
    // One after another: each seed already uses every core.
    // (Each on a server of its own: a preset with and without migrate are two databases.)
    for (const request of wanted) farms.push(await seedFarm(request.preset, request.migrate ? { migrate: request.migrate } : {}));
    pools.push(...(await startPools(farms, pool, workers)));
  } catch (error) {
    await close().catch(() => undefined); // the seed's or the pool's error is the one to report
    throw error;
  }
  return {
    templates: Object.fromEntries(wanted.map((request, i) => [templateId(request.preset, request.migrate), farms[i]!.url])),
    runId: randomUUID().slice(0, 8),
    close,
  };
}

function uniqueRequests(requests: readonly (string | TemplateRequest)[]): TemplateRequest[] {
  const byId = new Map<string, TemplateRequest>();
  for (const request of requests) {
    const entry = typeof request === 'string' ? { preset: request } : request;
    byId.set(templateId(entry.preset, entry.migrate), entry);
  }
  return [...byId.values()];
}
