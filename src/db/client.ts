/**
 * aquaseed's one way to open a connection: every session carries APPLICATION_NAME, so clones and
 * resets can tell aquaseed's own sessions from an app's, and every client is ended however the
 * work ends.
 */
import pg from 'pg';

/** aquaseed's own sessions carry this application_name, so it can close them (and only them). */
export const APPLICATION_NAME = `aquaseed-${process.pid}`;

export interface ClientOptions {
  /** Type parsers (e.g. farmTypes); default pg's. */
  types?: pg.CustomTypesConfig;
  /** Milliseconds to wait for the connection before failing (default: pg's, no limit). */
  connectionTimeoutMillis?: number;
}

/** A connected client with aquaseed's application_name; the caller ends it (prefer withClient). */
export async function connectClient(url: string, options: ClientOptions = {}): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: APPLICATION_NAME, ...options });
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

/** Runs `work` on a connection of its own, ended afterwards whether `work` succeeds or fails. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>, options: ClientOptions = {}): Promise<T> {
  const client = await connectClient(url, options);
  try {
    return await work(client);
  } finally {
    await endQuietly(client);
  }
}

/**
 * Runs `work` in a transaction on `client`: COMMIT when it returns, ROLLBACK when it throws (the
 * work's error is the one reported; a failed ROLLBACK, say on a lost connection, is not).
 */
export async function withTransaction<T>(client: pg.ClientBase, work: () => Promise<T>, begin = 'BEGIN'): Promise<T> {
  await client.query(begin);
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** One statement on a connection of its own (maintenance work: CREATE, COMMENT, catalog reads). */
export function queryOnce<R extends pg.QueryResultRow>(url: string, text: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
  return withClient(url, (client) => client.query<R>(text, params));
}

/** Ends a client whose session may already be gone: ending it can only fail the same way. */
export async function endQuietly(client: pg.Client): Promise<void> {
  await client.end().catch(() => undefined);
}
