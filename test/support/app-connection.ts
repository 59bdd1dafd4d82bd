/**
 * The tests' connections. Work done on aquaseed's side (setup, checks, admin statements) connects
 * the way aquaseed does, through src/db/client.ts (withClient, queryOnce, connectClient). This
 * module adds the other side: a session of the app under test, which aquaseed must see as someone
 * else's (a clone refuses to copy under it, a reset names it when it waits).
 */
import pg from 'pg';
import { databaseState } from '../../src/db/checksum.js';
import { endQuietly, withClient } from '../../src/db/client.js';

/** The application_name of an app's session unless a test names it otherwise. */
export const APP_NAME = 'the-app';

/**
 * A connected session named `name` (never aquaseed's application_name); the caller ends it. Named
 * in the startup packet, not by a later SET: a clone in between would take it for aquaseed's own
 * session and close it instead of refusing.
 */
export async function connectApp(url: string, name = APP_NAME): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: name });
  // A server that goes away emits 'error' on an idle client; the next query reports it instead.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await endQuietly(client);
    throw error;
  }
  return client;
}

/** Runs `work` on an app's session of its own, ended afterwards however `work` ends. */
export async function withApp<T>(url: string, work: (client: pg.Client) => Promise<T>, name = APP_NAME): Promise<T> {
  const client = await connectApp(url, name);
  try {
    return await work(client);
  } finally {
    await endQuietly(client);
  }
}

/** Runs statements the way an app does: on its own connection, not through aquaseed's handle. */
export async function asApp(url: string, statements: string[]): Promise<void> {
  await withApp(url, async (client) => {
    for (const statement of statements) await client.query(statement);
  });
}

/** The whole database's state (every table's checksum, every sequence), read by a connection of its own. */
export function stateOf(url: string): Promise<Awaited<ReturnType<typeof databaseState>>> {
  return withClient(url, (client) => databaseState(client));
}
