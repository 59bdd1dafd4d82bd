/**
 * Which database `verify`, `wipe` and `report` work on: the --database-url (or AQUASEED_DATABASE_URL), else
 * the farm in the CLI's persistent embedded cluster, the one `seed` and `up` fill.
 */
import { join } from 'node:path';
import { AquaseedError } from '../core/errors.js';
import { defaultCacheDir } from '../host/cache-dir.js';
import { hasMarker } from '../db/marker.js';
import { queryOnce, withClient } from '../db/client.js';
import { startEmbedded } from '../provision/embedded.js';
import { openExternal } from '../provision/external.js';
import type { PostgresServer } from '../provision/server.js';

export interface TargetFlags {
  databaseUrl?: string;
  cacheDir?: string;
  /** In the embedded cluster: which farm database, when it holds more than one. */
  database?: string;
}

/** The cluster `seed` and `up` use without --database-url (see seedOptions in main.ts). */
export const CLI_CLUSTER = 'default';

/**
 * Runs `body` with the URL of the target database; an embedded server started for it is stopped
 * afterwards (a server another process runs, such as `aquaseed up`, is only attached to).
 */
export async function withTargetDatabase<T>(flags: TargetFlags, body: (url: string) => Promise<T>): Promise<T> {
  if (flags.databaseUrl) {
    await openExternal(flags.databaseUrl);
    return body(flags.databaseUrl);
  }
  const cacheDir = flags.cacheDir ?? defaultCacheDir();
  const server = await startEmbedded({
    root: join(cacheDir, 'embedded'),
    persistentName: CLI_CLUSTER,
    onNotice: (message) => process.stderr.write(`aquaseed: ${message}\n`),
  });
  try {
    const farms = await seededDatabases(server);
    const database = pickDatabase(farms, flags.database, cacheDir);
    return await body(server.url(database));
  } finally {
    await server.stop();
  }
}

function pickDatabase(farms: readonly string[], wanted: string | undefined, cacheDir: string): string {
  if (wanted) {
    if (farms.includes(wanted)) return wanted;
    throw new AquaseedError(
      'AQUASEED_NOT_SEEDED',
      `--database ${JSON.stringify(wanted)} holds no aquaseed farm in the embedded cluster (farms: ${farms.join(', ') || 'none'})`,
      'pass one of the listed databases, or seed it first: `npx aquaseed seed <preset>`',
    );
  }
  if (farms.length === 1) return farms[0] as string;
  if (farms.length === 0) {
    throw new AquaseedError(
      'AQUASEED_NOT_SEEDED',
      `the embedded cluster in ${cacheDir} holds no aquaseed farm`,
      'seed one first (`npx aquaseed seed single-batch`), or pass --database-url for a farm elsewhere',
    );
  }
  throw new AquaseedError(
    'AQUASEED_INVALID_OPTION',
    `the embedded cluster holds ${farms.length} farms (${farms.join(', ')}) and no --database was given`,
    `pass --database ${farms[0]} (or another of the listed databases)`,
  );
}

/** Databases of the server that hold an aquaseed marker table, by name. */
async function seededDatabases(server: PostgresServer): Promise<string[]> {
  const { rows: names } = await queryOnce<{ datname: string }>(
    server.url(server.maintenanceDatabase),
    `SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY datname`,
  );
  const seeded: string[] = [];
  for (const { datname } of names) {
    if (await withClient(server.url(datname), (client) => hasMarker(client))) seeded.push(datname);
  }
  return seeded;
}
