/**
 * Determinism across parallelism: the same schedule seeded by one thread and by two tinypool
 * workers gives identical contents in every table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { queryOnce, withClient } from '../../src/db/client.js';
import { startEmbedded, type EmbeddedServer } from '../../src/provision/embedded.js';
import { defaultCacheDir } from '../../src/host/cache-dir.js';
import { loadPreset } from '../../src/preset-files/presets.js';
import { planSchedule } from '../../src/preset-files/resolve.js';
import { scheduleKey } from '../../src/cache/key.js';
import { seedDatabase } from '../../src/seed/seed-database.js';
import { tableChecksums } from '../../src/db/checksum.js';

let server: EmbeddedServer;

beforeAll(async () => {
  server = await startEmbedded({ root: join(defaultCacheDir(), 'embedded') });
});

afterAll(async () => {
  await server?.stop();
});

async function seedInto(database: string, workers: number): Promise<Record<string, unknown>> {
  await queryOnce(server.url('postgres'), `CREATE DATABASE ${database}`);
  // Four batches, the youngest a few weeks old: every batch runs in a few hundred milliseconds.
  const schedule = planSchedule({
    ...loadPreset('single-batch'),
    name: 'workers-test',
    batches: 4,
    staggerDays: 45,
    firstStart: '2025-03-01',
    geographies: ['Faroe Islands', 'Scotland'],
  });
  expect(schedule.batches).toHaveLength(4);
  await seedDatabase({ url: server.url(database), database, schedule, key: scheduleKey(schedule), workers });
  return withClient(server.url(database), (client) => tableChecksums(client));
}

describe('tinypool generation', () => {
  it('writes identical table contents with one thread and with two workers', async () => {
    const single = await seedInto('one_worker', 1);
    const parallel = await seedInto('two_workers', 2);
    expect((single as Record<string, { rows: number }>).batch_batch?.rows).toBe(4);
    expect(parallel).toEqual(single);
  });
});
