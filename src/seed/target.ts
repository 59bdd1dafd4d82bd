/**
 * The database a seed goes into on the chosen server: the URL's own, or one created (if missing)
 * on an embedded server or a container that this process started.
 */
import { join } from 'node:path';
import { withClient } from '../db/client.js';
import { ident } from '../schema/identifiers.js';
import { defaultCacheDir } from '../host/cache-dir.js';
import { startEmbedded } from '../provision/embedded.js';
import { openExternal } from '../provision/external.js';
import type { PostgresProvider, PostgresServer } from '../provision/server.js';
import { startContainer, type ContainerServer } from '../provision/testcontainers.js';
import type { Schedule } from '../schedule/types.js';
import { targetUrl } from './provider-choice.js';
import { noticeChannel, type SeedRequest } from './request.js';

export interface Target {
  server: PostgresServer;
  url: string;
  database: string;
}

export async function provisionTarget(request: SeedRequest, schedule: Schedule, provider: PostgresProvider): Promise<Target> {
  const url = targetUrl(request);
  if (provider === 'external' && url) return openExternal(url);
  const database = databaseName(request, schedule);
  if (provider === 'testcontainers') {
    const reuse = request.reuseContainer ?? process.env.AQUASEED_CONTAINER_REUSE === 'true';
    const server = await startContainer({ database, reuse });
    return { server, url: server.url(database), database };
  }
  const server = await startEmbedded({
    root: join(request.cacheDir ?? defaultCacheDir(), 'embedded'),
    ...(request.cluster ? { persistentName: request.cluster } : {}),
    stale: request.adoptStaleServer ? 'adopt' : 'stop',
    onNotice: noticeChannel(request),
    ...request.listen,
    ...(request.signal ? { signal: request.signal } : {}),
  });
  try {
    await ensureDatabase(server, database);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { server, url: server.url(database), database };
}

/** The database a server aquaseed starts holds the farm in: the request's, else `aquaseed_<preset>`. */
export function databaseName(request: SeedRequest, schedule: Schedule): string {
  return request.database ?? `aquaseed_${schedule.preset.replace(/[^a-zA-Z0-9]+/g, '_')}`;
}

export function isContainer(server: PostgresServer): server is ContainerServer {
  return server.provider === 'testcontainers';
}

export async function ensureDatabase(server: PostgresServer, database: string): Promise<void> {
  try {
    await withClient(server.url(server.maintenanceDatabase), async (client) => {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (!rowCount) await client.query(`CREATE DATABASE ${ident(database)}`);
    });
  } catch (error) {
    // Two processes creating the same database: the loser's "already exists" (or, when both
    // inserted at once, the unique violation on pg_database's name) is fine.
    const code = (error as { code?: string }).code;
    if (code !== '42P04' && code !== '23505') throw error;
  }
}
