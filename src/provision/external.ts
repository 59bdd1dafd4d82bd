/**
 * Any PostgreSQL a URL points at. aquaseed neither starts nor stops it; it checks up front that the
 * server answers, the credentials work and the database exists, each failure with its own fix.
 */
import { AquaseedError } from '../core/errors.js';
import type { PostgresServer } from './server.js';
import { withClient } from '../db/client.js';
import { databaseOf, siblingUrl } from '../db/clone.js';

export interface ExternalTarget {
  server: PostgresServer;
  database: string;
  url: string;
}

/** The URL with its password masked, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

export function parseDatabaseUrl(url: string, field = 'databaseUrl'): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new AquaseedError(
      'AQUASEED_INVALID_OPTION',
      `${field} ${JSON.stringify(redactUrl(url))} is not a URL`,
      'pass a URL such as postgres://user:password@localhost:5432/farm',
      { cause },
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new AquaseedError(
      'AQUASEED_INVALID_OPTION',
      `${field} ${JSON.stringify(redactUrl(url))} is not a PostgreSQL URL (protocol ${parsed.protocol})`,
      'pass a URL starting with postgres:// or postgresql://',
    );
  }
  // libpq takes a socket directory as ?host=/run/postgresql when the URL names no host.
  if (parsed.hostname === '' && !parsed.searchParams.get('host')) {
    throw new AquaseedError(
      'AQUASEED_INVALID_OPTION',
      `${field} ${JSON.stringify(redactUrl(url))} names no host`,
      'put the server in the URL, e.g. postgres://user:password@localhost:5432/farm (or ?host=/run/postgresql for a socket)',
    );
  }
  if (parsed.pathname.length <= 1) {
    throw new AquaseedError(
      'AQUASEED_INVALID_OPTION',
      `${field} ${JSON.stringify(redactUrl(url))} names no database`,
      'add the database to the URL path, e.g. postgres://user:password@localhost:5432/farm',
    );
  }
  return parsed;
}

export async function openExternal(url: string): Promise<ExternalTarget> {
  const parsed = parseDatabaseUrl(url);
  const database = databaseOf(url);
  let version: { num: string; text: string } | undefined;
  try {
    version = await withClient(
      url,
      async (client) =>
        (
          await client.query<{ num: string; text: string }>(
            `SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS text`,
          )
        ).rows[0],
      { connectionTimeoutMillis: 10_000 },
    );
  } catch (error) {
    throw connectionError(error, parsed, database);
  }
  checkServerVersion(Number(version?.num), version?.text ?? '?', `${parsed.hostname}:${parsed.port || '5432'}`);
  return { server: externalServer(url), database, url };
}

/**
 * A server aquaseed did not start, reached through `url`: its other databases share the URL's host
 * and credentials, and `stop` (by default) leaves it running.
 */
export function externalServer(url: string, stop: () => Promise<void> = async () => {}): PostgresServer {
  return {
    provider: 'external',
    maintenanceDatabase: 'postgres',
    url: (name) => siblingUrl(url, name),
    stop,
  };
}

/** The oldest major aquaseed is tested on; an older server is refused up front instead of failing mid-load. */
export const MIN_SERVER_MAJOR = 14;

export function checkServerVersion(versionNum: number, versionText: string, where: string): void {
  if (!Number.isFinite(versionNum) || versionNum >= MIN_SERVER_MAJOR * 10000) return;
  throw new AquaseedError(
    'AQUASEED_SERVER_VERSION',
    `PostgreSQL at ${where} is version ${versionText}; aquaseed supports PostgreSQL ${MIN_SERVER_MAJOR} and newer`,
    `upgrade the server, or leave the database URL (server: { url }, --database-url) out to seed the embedded PostgreSQL (no install needed)`,
  );
}

function connectionError(error: unknown, url: URL, database: string): AquaseedError {
  const code = (error as { code?: string }).code ?? '';
  const where = `${url.hostname}:${url.port || '5432'}`;
  if (code === '28P01' || code === '28000') {
    return new AquaseedError(
      'AQUASEED_DATABASE_AUTH',
      `PostgreSQL at ${where} refused user "${decodeURIComponent(url.username)}": ${(error as Error).message}`,
      'check the user and password in the database URL (server: { url }, --database-url)',
      { cause: error },
    );
  }
  if (code === '3D000') {
    return new AquaseedError(
      'AQUASEED_DATABASE_MISSING',
      `database "${database}" does not exist on ${where}`,
      `create it first (\`createdb -h ${url.hostname} -p ${url.port || '5432'} ${database}\`) or name an existing empty database`,
      { cause: error },
    );
  }
  return new AquaseedError(
    'AQUASEED_DATABASE_UNREACHABLE',
    `cannot reach PostgreSQL at ${where} (${code || (error as Error).message})`,
    'start the server or correct the database URL (server: { url }, --database-url); without a URL aquaseed runs its own embedded PostgreSQL',
    { cause: error },
  );
}
