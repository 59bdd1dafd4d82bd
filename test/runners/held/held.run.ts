import { writeFileSync } from 'node:fs';
import { test } from 'vitest';
import { seedFarm } from 'aquaseed';

test('holds a farm until the runner is killed', async () => {
  const farm = await seedFarm({ preset: 'tiny' });
  // Tells the killing test (HELD_FARM_FILE) that the farm is up, and which process holds it.
  writeFileSync(process.env.HELD_FARM_FILE as string, JSON.stringify({ worker: process.pid, url: farm.url }));
  await new Promise(() => {});
});
