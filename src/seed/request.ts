/**
 * One seed request, the form the seed runs on: `seedFarm`'s grouped options (and their deprecated
 * flat aliases) map to it here, checked; the CLI builds it from its flags directly, with the two
 * knobs only `aquaseed up` uses (`reuse`, `adoptStaleServer`, `listen`), which are not public.
 */
import { AquaseedError } from '../core/errors.js';
import { redactUrl } from '../provision/external.js';
import type { PlanOptions } from '../schedule/plan.js';
import type { Schedule } from '../schedule/types.js';
import type { SeedFarmOptions, ServerOption } from './options.js';

/** The servers a request can name (`provider`); `external` is a URL's. */
export type Provider = 'embedded' | 'external' | 'testcontainers' | 'auto';

export interface SeedRequest extends Omit<SeedFarmOptions, 'server' | 'cache' | 'provider'> {
  /**
   * Where PostgreSQL comes from when no URL is given (databaseUrl, else AQUASEED_DATABASE_URL:
   * src/seed/provider-choice.ts): `external` requires a URL; `testcontainers` starts a container;
   * `auto` a reachable container runtime, else embedded. Default: embedded.
   */
  provider?: Provider;
  /** `false`: always generate, write no cache entry. */
  cache?: boolean;
  /**
   * With `cluster`: when a killed process left that cluster's server running, adopt it (serve it,
   * stop it at close) instead of stopping and restarting it. `aquaseed up` sets it.
   */
  adoptStaleServer?: boolean;
  /**
   * Serve the farm already in the target database when it holds this very schedule (same cache
   * key) instead of seeding again. `aquaseed up` uses it.
   */
  reuse?: boolean;
  /** With `cluster`: the port and address its embedded server listens on (`aquaseed up --port --host`). */
  listen?: { port?: number; host?: string };
}

/** The keys of SeedFarmOptions that `server` replaces. */
const SERVER_ALIASES = ['databaseUrl', 'provider', 'reuseContainer', 'cluster', 'database'] as const;

/** `seedFarm(preset, options)` or `seedFarm(options)` as one request. */
export function seedRequest(first: string | SeedFarmOptions, second: SeedFarmOptions | undefined): SeedRequest {
  const options = typeof first === 'string' ? { ...second, preset: presetArgument(first, second) } : first;
  if (typeof first !== 'string' && second !== undefined) {
    throw invalid('seedFarm got a second options object after an options object', "call seedFarm('single-batch', { … }) or seedFarm({ preset: 'single-batch', … })");
  }
  const { server, cache, ...rest } = options;
  return { ...rest, ...serverRequest(server, options), ...cacheRequest(cache, options) };
}

/** The options' notice channel, stderr when none was given. */
export function noticeChannel(options: Pick<SeedRequest, 'onNotice'>): (message: string) => void {
  return options.onNotice ?? ((message) => process.stderr.write(`aquaseed: ${message}\n`));
}

/** The farm's planning options (asOf, incidents, …) out of a request. */
export function planOptions(request: SeedRequest): PlanOptions {
  return {
    ...(request.asOf !== undefined ? { asOf: request.asOf } : {}),
    ...(request.incidents !== undefined ? { incidents: request.incidents } : {}),
    ...(request.overdueActivityDays !== undefined ? { overdueActivityDays: request.overdueActivityDays } : {}),
    ...(request.adminPassword !== undefined ? { adminPassword: request.adminPassword } : {}),
    ...(request.clock ? { clock: request.clock } : {}),
  };
}

function presetArgument(preset: string, options: SeedFarmOptions | undefined): string {
  if (options?.preset !== undefined || options?.schedule !== undefined) {
    const field = options.preset !== undefined ? 'preset' : 'schedule';
    throw invalid(
      `seedFarm(${JSON.stringify(preset)}, { ${field} }) names the farm twice: the preset argument and options.${field}`,
      `pass one of them: seedFarm(${JSON.stringify(preset)}, { … }) or seedFarm({ ${field}, … })`,
    );
  }
  return preset;
}

function serverRequest(server: ServerOption | undefined, options: SeedFarmOptions): Partial<SeedRequest> {
  if (server === undefined) {
    // The deprecated flat names, as they always worked.
    const { databaseUrl, provider, reuseContainer, cluster, database } = options;
    return defined({ databaseUrl, provider, reuseContainer, cluster, database });
  }
  const alias = SERVER_ALIASES.find((name) => options[name] !== undefined);
  if (alias) {
    // A URL may hold a password: name the option, not its value.
    const value = alias === 'databaseUrl' ? '' : ` ${JSON.stringify(options[alias])}`;
    throw invalid(`seedFarm got both server and the deprecated ${alias}${value}`, `say it in server alone, e.g. ${serverExample(alias)}`);
  }
  if (server === 'embedded' || server === 'auto') return { provider: server };
  if (server === 'container') return { provider: 'testcontainers' };
  // Checked at run time too: JavaScript callers and casts get a message, not a wrong server.
  const given = (typeof server === 'object' && server !== null ? server : {}) as { url?: unknown; embedded?: { cluster?: string; database?: string }; container?: { reuse?: boolean; database?: string } };
  const keys = Object.keys(given).filter((key) => given[key as keyof typeof given] !== undefined);
  if (keys.length === 1 && given.url !== undefined) {
    if (typeof given.url !== 'string' || given.url.length === 0) {
      throw invalid(`seedFarm: server.url ${JSON.stringify(given.url)} is not a database URL`, "pass the database's URL, e.g. server: { url: 'postgres://me:pw@localhost/farm' }");
    }
    return { databaseUrl: given.url };
  }
  if (keys.length === 1 && isPlainObject(given.embedded)) {
    const { cluster, database } = given.embedded!;
    return { provider: 'embedded', ...defined({ cluster, database }) };
  }
  if (keys.length === 1 && isPlainObject(given.container)) {
    const { reuse, database } = given.container!;
    return { provider: 'testcontainers', ...defined({ reuseContainer: reuse, database }) };
  }
  throw invalid(
    `seedFarm: server ${describe(server)} is not one of 'embedded', 'container', 'auto', { url }, { embedded: {…} }, { container: {…} }`,
    "pass e.g. server: 'embedded', server: { url: 'postgres://me:pw@localhost/farm' } or server: { container: { reuse: true } }",
  );
}

function cacheRequest(cache: SeedFarmOptions['cache'], options: SeedFarmOptions): Pick<SeedRequest, 'cache' | 'cacheDir'> {
  if (cache === undefined || typeof cache === 'boolean') {
    return defined({ cache, cacheDir: options.cacheDir });
  }
  if (!isPlainObject(cache) || (cache.dir !== undefined && (typeof cache.dir !== 'string' || cache.dir.length === 0))) {
    throw invalid(`seedFarm: cache ${describe(cache)} is not false, true or { dir }`, "pass false (no cache), true (the default) or { dir: 'path/to/cache' }");
  }
  if (cache.dir !== undefined && options.cacheDir !== undefined) {
    throw invalid(`seedFarm got both cache.dir and the deprecated cacheDir ${JSON.stringify(options.cacheDir)}`, 'say it once, as cache: { dir }');
  }
  return defined({ cacheDir: cache.dir ?? options.cacheDir });
}

function serverExample(alias: (typeof SERVER_ALIASES)[number]): string {
  switch (alias) {
    case 'databaseUrl':
      return 'server: { url }';
    case 'provider':
      return "server: 'container'";
    case 'reuseContainer':
      return 'server: { container: { reuse: true } }';
    case 'cluster':
      return 'server: { embedded: { cluster } }';
    case 'database':
      return 'server: { embedded: { database } }';
  }
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as JSON, a URL's password left out. */
function describe(value: unknown): string {
  return String(JSON.stringify(value, (key, field: unknown) => (key === 'url' && typeof field === 'string' ? redactUrl(field) : field)));
}

/** The entries whose value is not undefined (an absent option stays absent). */
function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function invalid(message: string, fix: string): AquaseedError {
  return new AquaseedError('AQUASEED_INVALID_OPTION', message, fix);
}

/** The caller's worker count, else the preset's (it stays out of the key: content is the same). */
export function workersFor(request: SeedRequest, schedule: Schedule): number | undefined {
  return request.workers ?? schedule.workers;
}
