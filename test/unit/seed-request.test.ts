/**
 * seedFarm's options as one request: each form of `server` and `cache` names the server, cluster,
 * database and cache the seed uses; the deprecated flat names of earlier releases say the same
 * things as before; a request that says a thing twice, or says it wrong, is refused naming the field.
 */
import { describe, expect, it } from 'vitest';
import { seedRequest } from '../../src/seed/request.js';
import type { SeedFarmOptions } from '../../src/seed/options.js';

/** The server and cache fields of the request, whatever else it holds. */
function serverOf(first: string | SeedFarmOptions, options?: SeedFarmOptions) {
  const { provider, databaseUrl, cluster, database, reuseContainer, cache, cacheDir } = seedRequest(first, options);
  return Object.fromEntries(Object.entries({ provider, databaseUrl, cluster, database, reuseContainer, cache, cacheDir }).filter(([, v]) => v !== undefined));
}

describe('seedFarm(preset, options) as a request', () => {
  it('takes the preset from the first argument and the rest from the options', () => {
    const onProgress = () => {};
    expect(seedRequest('tiny', { asOf: 'today', workers: 2, onProgress })).toEqual({ preset: 'tiny', asOf: 'today', workers: 2, onProgress });
    expect(seedRequest('tiny', undefined)).toEqual({ preset: 'tiny' });
    expect(seedRequest({ preset: 'tiny' }, undefined)).toEqual({ preset: 'tiny' });
  });

  it('maps each form of server to the server the seed starts or opens', () => {
    expect(serverOf('tiny')).toEqual({});
    expect(serverOf('tiny', { server: 'embedded' })).toEqual({ provider: 'embedded' });
    expect(serverOf('tiny', { server: 'container' })).toEqual({ provider: 'testcontainers' });
    expect(serverOf('tiny', { server: 'auto' })).toEqual({ provider: 'auto' });
    expect(serverOf('tiny', { server: { url: 'postgres://u:p@db/farm' } })).toEqual({ databaseUrl: 'postgres://u:p@db/farm' });
    expect(serverOf('tiny', { server: { embedded: {} } })).toEqual({ provider: 'embedded' });
    expect(serverOf('tiny', { server: { embedded: { cluster: 'dev', database: 'farm' } } })).toEqual({ provider: 'embedded', cluster: 'dev', database: 'farm' });
    expect(serverOf('tiny', { server: { container: { reuse: true, database: 'farm' } } })).toEqual({
      provider: 'testcontainers',
      reuseContainer: true,
      database: 'farm',
    });
  });

  it('maps cache: false, true and { dir }', () => {
    expect(serverOf('tiny', { cache: false })).toEqual({ cache: false });
    expect(serverOf('tiny', { cache: true })).toEqual({ cache: true });
    expect(serverOf('tiny', { cache: { dir: '/tmp/c' } })).toEqual({ cacheDir: '/tmp/c' });
    expect(serverOf('tiny', { cache: {} })).toEqual({});
  });

  it('keeps the deprecated flat names meaning what they meant', () => {
    expect(serverOf({ preset: 'tiny', databaseUrl: 'postgres://u:p@db/farm', cacheDir: '/tmp/c' })).toEqual({ databaseUrl: 'postgres://u:p@db/farm', cacheDir: '/tmp/c' });
    expect(serverOf({ preset: 'tiny', provider: 'embedded', cluster: 'dev', database: 'farm' })).toEqual({ provider: 'embedded', cluster: 'dev', database: 'farm' });
    expect(serverOf({ preset: 'tiny', provider: 'testcontainers', reuseContainer: true })).toEqual({ provider: 'testcontainers', reuseContainer: true });
    expect(serverOf({ preset: 'tiny', provider: 'external' })).toEqual({ provider: 'external' });
    expect(serverOf({ preset: 'tiny', cacheDir: '/tmp/c', cache: false })).toEqual({ cacheDir: '/tmp/c', cache: false });
  });

  it('refuses server together with a deprecated server name, naming it and leaving a URL out', () => {
    expect(() => seedRequest('tiny', { server: 'embedded', databaseUrl: 'postgres://u:secret@db/farm' })).toThrow(
      expect.objectContaining({ code: 'AQUASEED_INVALID_OPTION', message: 'seedFarm got both server and the deprecated databaseUrl' }),
    );
    expect(() => seedRequest('tiny', { server: 'embedded', databaseUrl: 'postgres://u:secret@db/farm' })).not.toThrow(/secret/);
    expect(() => seedRequest('tiny', { server: { embedded: {} }, cluster: 'dev' })).toThrow(
      expect.objectContaining({ code: 'AQUASEED_INVALID_OPTION', message: 'seedFarm got both server and the deprecated cluster "dev"', fix: expect.stringContaining('server: { embedded: { cluster } }') }),
    );
    expect(() => seedRequest('tiny', { cache: { dir: '/a' }, cacheDir: '/b' })).toThrow(expect.objectContaining({ code: 'AQUASEED_INVALID_OPTION', message: expect.stringContaining('cache.dir and the deprecated cacheDir "/b"') }));
  });

  it('refuses a server or cache it cannot use, naming the value', () => {
    const bad: unknown[] = ['docker', { url: '' }, { url: 'postgres://a/b', embedded: {} }, { embedded: 'dev' }, {}];
    for (const server of bad) {
      expect(() => seedRequest('tiny', { server: server as SeedFarmOptions['server'] }), JSON.stringify(server)).toThrow(
        expect.objectContaining({ code: 'AQUASEED_INVALID_OPTION', message: expect.stringMatching(/^seedFarm: server(\.url)? /) }),
      );
    }
    expect(() => seedRequest('tiny', { server: { url: 'postgres://u:secret@db/farm', embedded: {} } as unknown as SeedFarmOptions['server'] })).not.toThrow(/secret/);
    expect(() => seedRequest('tiny', { cache: 'off' as unknown as boolean })).toThrow(expect.objectContaining({ message: 'seedFarm: cache "off" is not false, true or { dir }' }));
  });

  it('refuses a farm named twice', () => {
    expect(() => seedRequest('tiny', { preset: 'uat' })).toThrow(expect.objectContaining({ code: 'AQUASEED_INVALID_OPTION', message: expect.stringContaining('names the farm twice') }));
    expect(() => seedRequest({ preset: 'tiny' }, { asOf: 'today' })).toThrow(expect.objectContaining({ code: 'AQUASEED_INVALID_OPTION' }));
  });
});
