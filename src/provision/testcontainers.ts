/**
 * The `testcontainers` provider: PostgreSQL in a container from a pinned official image, started
 * with the same load tuning as the embedded server. `@testcontainers/postgresql` is an optional
 * peer dependency, so it is imported only when this provider is chosen.
 *
 * With `reuse`, the container outlives the process (testcontainers `withReuse()`), and the seeded
 * database is also snapshotted into a template database inside the container: the next run with
 * the same cache key restores it with `restoreSnapshot()` (a file copy inside the server) instead
 * of seeding again, and tests that changed the farm get a pristine one back.
 */
import type * as PostgresModule from '@testcontainers/postgresql';
import type { StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import { AquaseedError } from '../core/errors.js';
import { probeContainerRuntime, runtimeUnavailable } from './container-runtime.js';
import { loadTuningFlags } from './load-tuning.js';
import type { PostgresServer } from './server.js';
import { databaseExists, siblingUrl } from '../db/clone.js';

/** Pinned: a moving tag would change the server under a cached farm. Same major as embedded. */
export const POSTGRES_IMAGE = 'postgres:18.1-alpine';
export const CONTAINER_USER = 'aquaseed';
export const CONTAINER_PASSWORD = 'aquaseed';

export interface ContainerOptions {
  /** The database the container creates at start (POSTGRES_DB): the one the farm is seeded into. */
  database: string;
  /** Keep the container for the next run (testcontainers `withReuse()`); it is not stopped on close. */
  reuse?: boolean;
  /** Image to run instead of POSTGRES_IMAGE (any official postgres image 14-18). */
  image?: string;
}

export interface ContainerServer extends PostgresServer {
  readonly provider: 'testcontainers';
  readonly image: string;
  readonly reused: boolean;
  /**
   * Restores the database from this key's template database, if the container holds one (a
   * reused container that seeded the same farm before). True when it did.
   */
  restoreTemplate(key: string): Promise<boolean>;
  /** Copies the freshly seeded database into this key's template database (reused containers only). */
  saveTemplate(key: string): Promise<void>;
}

export async function startContainer(options: ContainerOptions): Promise<ContainerServer> {
  // The probe first: without a runtime it answers in microseconds, the import takes a while.
  const runtime = await probeContainerRuntime();
  if (!runtime.available && !runtime.packageMissing) throw runtimeUnavailable(runtime.reason);
  const { PostgreSqlContainer } = await importModule();
  if (!runtime.available) throw runtimeUnavailable(runtime.reason);
  const image = options.image ?? POSTGRES_IMAGE;
  let container = new PostgreSqlContainer(image)
    .withDatabase(options.database)
    .withUsername(CONTAINER_USER)
    .withPassword(CONTAINER_PASSWORD)
    // The official image's entrypoint passes these to postgres; the Cmd must start with "postgres".
    .withCommand(['postgres', ...loadTuningFlags()])
    // Docker's default 64 MB /dev/shm is too small for parallel index builds on big farms.
    .withSharedMemorySize(512 * 2 ** 20)
    .withLabels({ 'dev.aquaseed.database': options.database });
  if (options.reuse) container = container.withReuse();
  let started: StartedPostgreSqlContainer;
  try {
    started = await container.start();
  } catch (cause) {
    throw new AquaseedError(
      'AQUASEED_CONTAINER_START',
      `the PostgreSQL container (${image}) did not start: ${(cause as Error).message}`,
      `check that the runtime can pull the image (\`docker pull ${image}\`); run with DEBUG=testcontainers* for details, or use the embedded provider`,
      { cause },
    );
  }
  return containerServer(started, image, options.reuse ?? false);
}

async function importModule(): Promise<typeof PostgresModule> {
  try {
    return await import('@testcontainers/postgresql');
  } catch (cause) {
    throw new AquaseedError(
      'AQUASEED_TESTCONTAINERS_MISSING',
      'provider "testcontainers" needs the packages @testcontainers/postgresql and testcontainers, which are not installed',
      'install them (`npm install -D testcontainers @testcontainers/postgresql`), or drop the provider option to use the embedded PostgreSQL',
      { cause },
    );
  }
}

function containerServer(started: StartedPostgreSqlContainer, image: string, reused: boolean): ContainerServer {
  const urlFor = (database: string): string => siblingUrl(started.getConnectionUri(), database);
  let stopped = false;
  return {
    provider: 'testcontainers',
    image,
    reused,
    maintenanceDatabase: 'postgres',
    url: urlFor,
    async stop() {
      if (stopped || reused) return;
      stopped = true;
      await started.stop();
    },
    async restoreTemplate(key) {
      if (!reused || !(await databaseExists(urlFor('postgres'), templateName(key)))) return false;
      await started.restoreSnapshot(templateName(key));
      return true;
    },
    async saveTemplate(key) {
      if (!reused) return;
      await started.snapshot(templateName(key));
    },
  };
}

/** Template database of a cache key (63-byte identifier limit: the key's first 32 hex digits). */
export function templateName(key: string): string {
  return `aquaseed_tpl_${key.slice(0, 32)}`;
}
