/**
 * The testcontainers provider. Where a container runtime (Docker, Podman, …) is reachable, it seeds
 * into a container of the pinned image, tuned for loading, clones, and removes the container on
 * close; a reused container keeps the farm in a template database for the next run. Where none is
 * reachable (this suite's usual CI), asking for it fails at once with one clear error naming the
 * embedded default, and `auto` falls back to embedded.
 */
import { describe, expect, it } from 'vitest';
import type pg from 'pg';
import { connectClient, queryOnce } from '../../src/db/client.js';
import { seedFarm } from '../../src/index.js';
import { probeContainerRuntime, runtimeCandidates } from '../../src/provision/container-runtime.js';
import { POSTGRES_IMAGE, templateName } from '../../src/provision/testcontainers.js';
import { runCli } from '../support/cli.js';

const runtime = await probeContainerRuntime();
const NO_RUNTIME = 'needs a container runtime (Docker or Podman): none is reachable here';
const HAS_RUNTIME = 'runs only where no container runtime is reachable; one is here';

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  return (await queryOnce<T>(url, text)).rows;
}

describe('finding a container runtime', () => {
  it('looks where testcontainers looks, without touching the network', () => {
    expect(runtimeCandidates({ DOCKER_HOST: 'tcp://10.0.0.9:2375' })).toContain('DOCKER_HOST=tcp://10.0.0.9:2375');
    expect(runtimeCandidates({ TESTCONTAINERS_HOST_OVERRIDE: 'docker.internal' })).toContain('TESTCONTAINERS_HOST_OVERRIDE=docker.internal');
  });
});

describe.skipIf(runtime.available)(`without a container runtime (${HAS_RUNTIME})`, () => {
  it("provider 'testcontainers' fails fast with AQUASEED_CONTAINER_RUNTIME_UNAVAILABLE naming the embedded default", async () => {
    await expect(seedFarm({ preset: 'tiny', provider: 'testcontainers' })).rejects.toMatchObject({
      code: 'AQUASEED_CONTAINER_RUNTIME_UNAVAILABLE',
      message: expect.stringMatching(/^provider "testcontainers" needs a container runtime, and /),
      fix: expect.stringMatching(/embedded/),
    });
  });

  it("provider 'testcontainers' ignores DATABASE_URL, but an explicit databaseUrl wins", async () => {
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = 'postgres://u:p@127.0.0.1:1/farm';
    try {
      await expect(seedFarm({ preset: 'tiny', provider: 'testcontainers' })).rejects.toMatchObject({ code: 'AQUASEED_CONTAINER_RUNTIME_UNAVAILABLE' });
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
    await expect(seedFarm({ preset: 'tiny', provider: 'testcontainers', databaseUrl: 'postgres://u:p@127.0.0.1:1/farm' })).rejects.toMatchObject({
      code: 'AQUASEED_DATABASE_UNREACHABLE',
    });
  });

  it('aquaseed seed --provider testcontainers: one line saying so and naming the embedded default, no stack', async () => {
    const result = await runCli(['seed', 'tiny', '--provider', 'testcontainers', '--quiet']);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^aquaseed \[AQUASEED_CONTAINER_RUNTIME_UNAVAILABLE\]: provider "testcontainers" needs a container runtime, and no container runtime/);
    expect(lines[1]).toMatch(/^ {2}fix: .*--provider embedded/);
  });

  it("provider 'auto' falls back to the embedded server", async () => {
    const farm = await seedFarm({ preset: 'tiny', provider: 'auto' });
    try {
      expect(farm.summary.provider).toBe('embedded');
      expect(await query(farm.url, 'SELECT count(*)::int AS n FROM batch_batch')).toEqual([{ n: 4 }]);
    } finally {
      await farm.close();
    }
  });
});

describe.skipIf(!runtime.available)(`with a container runtime (${NO_RUNTIME})`, () => {
  it(`seeds tiny into ${POSTGRES_IMAGE}, tuned for loading; clones; removes the container on close`, async () => {
    const farm = await seedFarm({ preset: 'tiny', provider: 'testcontainers' });
    let closed = false;
    try {
      expect(farm.summary.provider).toBe('testcontainers');
      expect(await query(farm.url, 'SELECT count(*)::int AS n FROM batch_batch')).toEqual([{ n: 4 }]);
      expect(await query(farm.url, `SELECT current_setting('fsync') AS fsync, current_setting('wal_level') AS wal`)).toEqual([
        { fsync: 'off', wal: 'minimal' },
      ]);
      const clone = await farm.clone();
      expect(await query(clone.url, 'SELECT count(*)::int AS n FROM batch_batch')).toEqual([{ n: 4 }]);
      await clone.close();
      await farm.close();
      closed = true;
      await expect(connectClient(farm.url, { connectionTimeoutMillis: 3000 })).rejects.toThrow();
    } finally {
      if (!closed) await farm.close();
    }
  });

  it('a reused container restores the farm from its template database on the next run', async () => {
    await removeReusedContainers();
    const first = await seedFarm({ preset: 'tiny', provider: 'testcontainers', reuseContainer: true, cache: false });
    try {
      expect(first.summary.restored).toBeFalsy(); // cache: false, so only the template can restore
      expect(await query(first.url.replace(/\/[^/]+$/, '/postgres'), `SELECT datname FROM pg_database WHERE datistemplate AND datname = '${templateName(first.key)}'`)).toHaveLength(1);
      // A test changes the farm; the next run must get the pristine one back.
      await query(first.url, 'CREATE TABLE scribble (x int)');
      await first.close();
      const second = await seedFarm({ preset: 'tiny', provider: 'testcontainers', reuseContainer: true, cache: false });
      try {
        expect(second.summary.restored).toBe(true);
        expect(second.url).toBe(first.url);
        expect(await query(second.url, 'SELECT count(*)::int AS n FROM batch_batch')).toEqual([{ n: 4 }]);
        expect(await query(second.url, `SELECT to_regclass('scribble') AS t`)).toEqual([{ t: null }]);
      } finally {
        await second.close();
      }
    } finally {
      await removeReusedContainers();
    }
  });
});

/** Reused containers outlive the process by design; this suite removes the ones it made. */
async function removeReusedContainers(): Promise<void> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  const client = await getContainerRuntimeClient();
  const containers = await client.container.list();
  for (const info of containers.filter((c) => c.Labels['dev.aquaseed.database'] === 'aquaseed_tiny')) {
    const container = client.container.getById(info.Id);
    await client.container.stop(container).catch(() => {});
    await client.container.remove(container, { removeVolumes: true }).catch(() => {});
  }
}
