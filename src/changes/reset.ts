/**
 * `reset()`: puts a tracked database back as it was when tracking began (src/changes/tracking.ts),
 * in one call of the journal's own function, and turns its failures into errors that say what to do.
 */
import type pg from 'pg';
import { AquaseedError } from '../core/errors.js';
import { RESET_SCHEMA } from './journal-sql.js';

export interface ResetOptions {
  /**
   * How long to wait for other sessions' open transactions that wrote (an app finishing a
   * request) before failing with AQUASEED_DATABASE_BUSY (default 30 s).
   */
  lockTimeoutMs?: number;
}

export interface ResetSummary {
  /** The tables put back (`schema.table`), in no particular order; empty when nothing was written. */
  tables: string[];
  /** Rows deleted: everything the test inserted, and the changed versions of updated rows. */
  removedRows: number;
  /** Pristine rows put back: those the test updated or deleted. */
  restoredRows: number;
  /** Sequences set back (advanced by inserts or nextval()). */
  sequences: number;
  seconds: number;
}

export const DEFAULT_RESET_LOCK_TIMEOUT_MS = 30_000;

export async function resetDatabase(client: pg.ClientBase, database: string, options: ResetOptions = {}): Promise<ResetSummary> {
  const timeout = options.lockTimeoutMs ?? DEFAULT_RESET_LOCK_TIMEOUT_MS;
  if (!Number.isInteger(timeout) || timeout < 1) {
    throw new AquaseedError(
      'AQUASEED_INVALID_OPTION',
      `reset({ lockTimeoutMs }) must be a whole number of milliseconds of at least 1, got ${JSON.stringify(options.lockTimeoutMs)}`,
      'pass e.g. reset({ lockTimeoutMs: 30_000 }), or leave it out for the default of 30 s',
    );
  }
  const started = performance.now();
  try {
    const { rows } = await client.query<{ summary: { tables: string[]; removed: number; restored: number; sequences: number } }>(
      `SELECT ${RESET_SCHEMA}.reset($1) AS summary`,
      [timeout],
    );
    const summary = rows[0]!.summary;
    return {
      tables: summary.tables,
      removedRows: Number(summary.removed),
      restoredRows: Number(summary.restored),
      sequences: summary.sequences,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (error) {
    throw await resetError(error, client, database, timeout);
  }
}

async function resetError(error: unknown, client: pg.ClientBase, database: string, timeout: number): Promise<unknown> {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message;
  switch (code) {
    case '3F000': // schema does not exist
    case '42883': // function does not exist
      return new AquaseedError(
        'AQUASEED_NOT_TRACKED',
        `reset(): database "${database}" does not track its changes, so there is nothing to reset to`,
        "track it before the test writes: farm.clone({ resettable: true }), farm.trackChanges(), or farmIsolation: 'reset'",
        { cause: error },
      );
    case 'AQ001':
    case 'AQ002':
      return new AquaseedError(
        'AQUASEED_RESET_IMPOSSIBLE',
        `reset(): database "${database}" cannot be put back: ${message}`,
        'make a new copy instead (farm.clone(); the runner fixtures do this by themselves); reset() undoes rows and sequences, not schema changes',
        { cause: error },
      );
    case '55P03': // lock_not_available: lock_timeout expired
    case '40P01': // deadlock: a write ran into the reset
      return new AquaseedError(
        'AQUASEED_DATABASE_BUSY',
        `reset(): database "${database}" is still being written: ${await openTransactions(client, database)}` +
          (code === '55P03' ? ` (waited ${timeout} ms)` : ' (a write ran while the reset did)'),
        'let the app finish its requests and commit or roll back its transactions before the test ends, then reset; reset({ lockTimeoutMs }) waits longer',
        { cause: error },
      );
    default:
      return error;
  }
}

/** Who holds a transaction open on the database, for the busy message. */
async function openTransactions(client: pg.ClientBase, database: string): Promise<string> {
  const { rows } = await client
    .query<{ who: string }>(
      `SELECT format('pid %s (%s, %s): %s', pid, coalesce(nullif(application_name, ''), 'no application_name'), state, left(query, 80)) AS who
         FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND xact_start IS NOT NULL ORDER BY xact_start LIMIT 3`,
      [database],
    )
    // Only words for the busy error being built: without them it still says what happened.
    .catch(() => ({ rows: [] as { who: string }[] }));
  return rows.length === 0 ? 'another session wrote during the reset' : `open transactions in ${rows.map((row) => row.who).join('; ')}`;
}
