/**
 * seedFarm's grouped options end to end, and the deprecated flat names beside them: a farm seeded
 * with `server: { embedded: { cluster, database } }` and `cache: { dir }` lands where they say and
 * writes its cache entry there; `server: { url }` and the flat `databaseUrl`, `provider`,
 * `cluster`, `database` and `cacheDir` of earlier releases find the same entry and restore it.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFarm, type Farm } from '../../src/index.js';
import { queryOnce } from '../../src/db/client.js';
import { siblingUrl } from '../../src/db/clone.js';

let cacheDir: string;
let grouped: Farm;

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'aquaseed-options-'));
  // As root PostgreSQL runs as `postgres`, which must reach the clusters under it.
  await chmod(cacheDir, 0o755);
  grouped = await seedFarm('tiny', {
    server: { embedded: { cluster: 'grouped', database: 'grouped_farm' } },
    cache: { dir: cacheDir },
    onNotice: () => {},
  });
});

afterAll(async () => {
  await grouped?.close();
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
});

/** A new empty database on the grouped farm's server, and its URL. */
async function emptyDatabase(name: string): Promise<string> {
  await queryOnce(siblingUrl(grouped.url, 'postgres'), `CREATE DATABASE ${name}`);
  return siblingUrl(grouped.url, name);
}

describe('grouped options', () => {
  it('seed into the named cluster and database, and write the cache entry under cache.dir', async () => {
    expect(grouped.summary).toMatchObject({ provider: 'embedded', database: 'grouped_farm', preset: 'tiny', reused: false });
    expect(grouped.summary.restored).toBeUndefined();
    expect(new URL(grouped.url).pathname).toBe('/grouped_farm');
    expect(existsSync(join(cacheDir, 'embedded'))).toBe(true);
    expect((await readdir(join(cacheDir, 'snapshots'))).length).toBeGreaterThan(0);
  });

  it('server: { url } seeds that database, restored from the entry in cache.dir', async () => {
    const farm = await seedFarm('tiny', { server: { url: await emptyDatabase('by_url') }, cache: { dir: cacheDir } });
    try {
      expect(farm.summary).toMatchObject({ provider: 'external', database: 'by_url', key: grouped.key, restored: true });
      expect(await farm.counts()).toEqual(await grouped.counts());
    } finally {
      await farm.close();
    }
  });

  it('cache: false generates, even with an entry in cache.dir', async () => {
    const farm = await seedFarm('tiny', { server: { url: await emptyDatabase('no_cache') }, cache: false });
    try {
      expect(farm.summary.restored).toBeUndefined();
      expect(farm.summary.timings.generateLoad).toBeGreaterThan(0);
    } finally {
      await farm.close();
    }
  });
});

describe('the deprecated flat names', () => {
  it('databaseUrl and cacheDir still name the target and the cache', async () => {
    const farm = await seedFarm({ preset: 'tiny', databaseUrl: await emptyDatabase('flat_url'), cacheDir });
    try {
      expect(farm.summary).toMatchObject({ provider: 'external', database: 'flat_url', key: grouped.key, restored: true });
    } finally {
      await farm.close();
    }
  });

  it('provider, cluster and database still name the embedded cluster and database', async () => {
    const farm = await seedFarm({ preset: 'tiny', provider: 'embedded', cluster: 'grouped', database: 'flat_farm', cacheDir, onNotice: () => {} });
    try {
      expect(farm.summary).toMatchObject({ provider: 'embedded', database: 'flat_farm', key: grouped.key, restored: true });
      // The same cluster as the grouped farm's: the same server.
      expect(new URL(farm.url).port).toBe(new URL(grouped.url).port);
    } finally {
      await farm.close();
    }
  });

  it('are refused beside server, naming the one given twice', async () => {
    await expect(seedFarm('tiny', { server: { url: grouped.url }, cacheDir, database: 'x' })).rejects.toMatchObject({
      code: 'AQUASEED_INVALID_OPTION',
      message: 'seedFarm got both server and the deprecated database "x"',
    });
  });
});
