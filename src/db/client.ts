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
 * work's error is the one reported). `begin` opens it, with options if need be
 * (`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`).
 */
export async function withTransaction<T>(client: pg.ClientBase, work: () => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const transaction = await beginTransaction(client, begin);
  const result = await transaction.run(work);
  await transaction.commit();
  return result;
}

/**
 * A transaction left open across calls, for a flow that one callback cannot hold (the seed's
 * replacement of an existing schema's rows: opened, filled by the caller, committed); prefer
 * withTransaction.
 */
export interface OpenTransaction {
  /** Runs a step of the transaction: if it throws, the transaction is rolled back and the error rethrown. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** COMMIT: the transaction is over either way (PostgreSQL rolls back a COMMIT that fails). */
  commit(): Promise<void>;
  /** ROLLBACK if still open; safe to call again, or after commit(). */
  rollback(): Promise<void>;
}

export async function beginTransaction(client: pg.ClientBase, begin = 'BEGIN'): Promise<OpenTransaction> {
  await client.query(begin);
  let open = true;
  const transaction: OpenTransaction = {
    async run(work) {
      try {
        return await work();
      } catch (error) {
        await transaction.rollback();
        throw error;
      }
    },
    async commit() {
      open = false;
      await client.query('COMMIT');
    },
    async rollback() {
      if (!open) return;
      open = false;
      // Called on the way out of a failure, which is the error to report; a ROLLBACK that fails
      // too (a lost connection) has nothing to add, and the server ends the transaction anyway.
      await client.query('ROLLBACK').catch(() => undefined);
    },
  };
  return transaction;
}

/** One statement on a connection of its own (maintenance work: CREATE, COMMENT, catalog reads). */
export function queryOnce<R extends pg.QueryResultRow>(url: string, text: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
  return withClient(url, (client) => client.query<R>(text, params));
}

/** Ends a client whose session may already be gone: ending it can only fail the same way. */
export async function endQuietly(client: pg.Client): Promise<void> {
  // The session is over either way; a failed end() says only that it was already gone.
  await client.end().catch(() => undefined);
}
