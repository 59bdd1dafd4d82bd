/** One seed into one database: what it is asked (SeedDatabaseOptions) and what it holds while it runs. */
import type pg from 'pg';
import type { DatabaseState } from '../../db/guard.js';
import type { EntryContent, EntryFile } from '../../cache/entry-files.js';
import type { Schedule } from '../../schedule/types.js';
import type { ProgressListener } from '../progress.js';

export interface SeedDatabaseOptions {
  url: string;
  /** For messages: the database's name. */
  database: string;
  schedule: Schedule;
  key: string;
  /** Schema the farm is published into. */
  schema?: string;
  /** Parallel connections for COPY and index builds. */
  connections?: number;
  /**
   * Worker threads generating batches (default 1: the main thread). Each worker streams its own
   * COPY connections; the database content is the same for any number.
   */
  workers?: number;
  onProgress?: ProgressListener;
  /** Receives one line for each thing the user should know that is no error (a left-out app, say). */
  onNotice?: (message: string) => void;
  signal?: AbortSignal;
  /**
   * Load the rows from a logical snapshot (its COPY files) instead of generating
   * them; keys, indexes and the publish run as for a fresh seed.
   */
  restoreFrom?: { dir: string; rowCounts: Readonly<Record<string, number>>; files?: readonly EntryFile[] };
  /**
   * A generated farm in a schema aquaseed creates: every COPY chunk is also written to a file in
   * this (existing, empty) directory as it loads, so the logical cache entry needs no export
   * afterwards; the result's `entryFiles` lists them.
   */
  writeEntryTo?: string;
  /**
   * The database already holds AquaMind's schema (Django-migrated): check it, then replace only the
   * rows of the tables aquaseed writes, keeping the database's own tables, constraints, indexes
   * and sequences (src/db/existing-schema.ts). `schema` must name the schema Django migrated.
   */
  existingSchema?: boolean;
  /**
   * Migrate mode: the app's own migration made this database's schema a moment ago. The farm's
   * tables it did not make are created, then every table is filled as in existing-schema mode
   * (src/db/existing-migrated.ts); the app's own tables are left alone.
   */
  migrated?: boolean;
  /**
   * Existing-schema mode: called once a generated farm is committed, with `exportTo`, which writes
   * its rows in the generator's own numbering (users and content types as a created-schema seed
   * numbers them) as a logical cache entry. Its time is not part of the seed's.
   */
  onLoaded?: (loaded: { rowCounts: Record<string, number>; totalRows: number; exportTo: (dir: string) => Promise<EntryContent> }) => Promise<void>;
}

/** One seed in progress: its connection (holding the seed lock), staging schema and start. */
export interface SeedSession {
  options: SeedDatabaseOptions;
  client: pg.Client;
  staging: string;
  /** The schema the farm is published into. */
  schema: string;
  connections: number;
  /** performance.now() when the seed began. */
  started: number;
  previous: DatabaseState;
}

