/**
 * Isolated copies of a seeded database: `CREATE DATABASE … TEMPLATE`. FILE_COPY copies the files
 * (one checkpoint) instead of WAL-logging every block, which is what large farms need; on
 * PostgreSQL 18 with a copy-on-write filesystem, `file_copy_method = clone` makes it near-instant.
 */
import { AquaseedError } from '../core/errors.js';
import { APPLICATION_NAME, queryOnce, withClient } from './client.js';
import { ident } from '../schema/identifiers.js';

export type CloneStrategy = 'FILE_COPY' | 'WAL_LOG';

/**
 * How a clone's files were made: `reflink` (PostgreSQL 18 on a copy-on-write filesystem: blocks
 * shared, nothing written), `file copy` (FILE_COPY, or any clone before PostgreSQL 15), `WAL log`.
 */
export type CloneMethod = 'reflink' | 'file copy' | 'WAL log';

/** Servers whose filesystem refused a copy-on-write clone: later clones copy straight away. */
const noReflink = new Set<string>();

export async function cloneDatabase(
  maintenanceUrl: string,
  source: string,
  target: string,
  strategy: CloneStrategy = 'FILE_COPY',
): Promise<CloneMethod> {
  return withClient(maintenanceUrl, async (client): Promise<CloneMethod> => {
    const { rows } = await client.query<{ version: string }>(`SELECT current_setting('server_version_num') AS version`);
    const version = Number(rows[0]?.version ?? 0);
    // The template must have no sessions: close aquaseed's own idle pool connections to it, and
    // fail at once, naming them, if anyone else is connected (PostgreSQL would wait 5 s, then fail).
    await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2 AND pid <> pg_backend_pid()',
      [source, APPLICATION_NAME],
    );
    // Client sessions only: an autovacuum worker (busy after a large seed) is ended by CREATE DATABASE itself.
    const others = await client.query<{ application_name: string; client_addr: string | null }>(
      `SELECT application_name, client_addr::text FROM pg_stat_activity
        WHERE datname = $1 AND application_name <> $2 AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
      [source, APPLICATION_NAME],
    );
    if (others.rowCount) {
      const who = others.rows.map((row) => row.application_name || row.client_addr || 'unnamed').join(', ');
      throw new AquaseedError(
        'AQUASEED_DATABASE_BUSY',
        `cannot clone database "${source}": ${others.rowCount} other session(s) are connected to it (${who})`,
        'close other connections to the seeded database (the app under test?) before clone(), and connect them to the clone instead',
      );
    }
    const create = `CREATE DATABASE ${ident(target)} TEMPLATE ${ident(source)}${version >= 150000 ? ` STRATEGY ${strategy}` : ''}`;
    const server = new URL(maintenanceUrl).host;
    if (version >= 180000 && strategy === 'FILE_COPY' && !noReflink.has(server)) {
      try {
        await client.query('SET file_copy_method = clone');
        await client.query(create);
        return 'reflink';
      } catch {
        // No copy-on-write support on this filesystem: copy the files, now and from now on.
        noReflink.add(server);
        await client.query('RESET file_copy_method');
        await client.query(`DROP DATABASE IF EXISTS ${ident(target)}`);
      }
    }
    await client.query(create);
    return version >= 150000 && strategy === 'WAL_LOG' ? 'WAL log' : 'file copy';
  });
}

/** The database a URL names. */
export function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** The same server and credentials, another database. */
export function siblingUrl(url: string, database: string): string {
  const other = new URL(url);
  other.pathname = `/${encodeURIComponent(database)}`;
  return other.toString();
}

export async function dropDatabase(maintenanceUrl: string, database: string): Promise<void> {
  await queryOnce(maintenanceUrl, `DROP DATABASE IF EXISTS ${ident(database)} WITH (FORCE)`);
}

/** Whether the server holds a database of that name. */
export async function databaseExists(maintenanceUrl: string, name: string): Promise<boolean> {
  return (await queryOnce(maintenanceUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
}
