/**
 * A runner's global setup, runner-free: each preset seeded once per run (the templates the
 * workers copy), the warm pools of copies, and the teardown that drops what the run's files
 * left behind (reset copies, the shared copy) before the farms close.
 */
import type { ClonePool } from './clone-pool.js';
import type { Farm } from '../seed/farm.js';
import { seedFarm } from '../seed/seed-farm.js';
import type { FarmPoolOptions } from './isolation.js';
import { startPools } from './pools.js';
import { dropResetCopies, dropSharedCopy } from './template.js';

export interface RunTemplates {
  /** Preset → URL of its template database. Nothing in this process connects to them. */
  templates: Record<string, string>;
  /** Stops the pools, drops the copies the run made, and closes the farms. */
  close(): Promise<void>;
}

export async function seedRunTemplates(presets: readonly string[], pool: FarmPoolOptions | false | undefined, workers: number): Promise<RunTemplates> {
  const farms: Farm[] = [];
  const pools: ClonePool[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(pools.map((each) => each.close()));
    for (const farm of farms) {
      // A copy left behind does not fail a finished run, and every farm must still close: say so.
      const left = (error: unknown) => process.stderr.write(`aquaseed: could not drop the run's copies of ${farm.summary.database}: ${(error as Error).message}\n`);
      await dropSharedCopy(farm.url).catch(left);
      await dropResetCopies(farm.url).catch(left);
    }
    await Promise.all(farms.map((farm) => farm.close()));
  };
  try {
    // One after another: each seed already uses every core.
    for (const preset of presets) farms.push(await seedFarm(preset));
    pools.push(...(await startPools(farms, pool, workers)));
  } catch (error) {
    await close().catch(() => undefined); // the seed's or the pool's error is the one to report
    throw error;
  }
  return { templates: Object.fromEntries(presets.map((preset, i) => [preset, farms[i]!.url])), close };
}
