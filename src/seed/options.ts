/**
 * What `seedFarm(preset, options)` accepts, grouped the way testcontainers groups its builders:
 * the farm (`asOf`, `incidents`, …), where PostgreSQL comes from (`server`), the snapshot cache
 * (`cache`), and how the seed reports (`onProgress`, `onNotice`, `signal`). The flat names of
 * earlier releases still work, marked deprecated; src/seed/request.ts maps both to one request.
 */
import type { MigrateSetting } from '../cache/migrate-key.js';
import type { Clock } from '../schedule/dates.js';
import type { IncidentInput } from '../schedule/incident-types.js';
import type { Schedule } from '../schedule/types.js';
import type { ProgressListener } from './progress.js';

/**
 * Where PostgreSQL comes from:
 * - `'embedded'` or `{ embedded: { cluster, database } }`: a server aquaseed starts from the
 *   binaries npm installed. `cluster` keeps it under that name in the cache directory after close
 *   (the CLI's is `default`); omitted, the cluster is throwaway: restored from the snapshot cache,
 *   removed on close. `database` defaults to `aquaseed_<preset>`.
 * - `'container'` or `{ container: { reuse, database } }`: a `postgres` container through
 *   @testcontainers/postgresql, an optional peer (needs a container runtime). `reuse` keeps the
 *   container for the next run (testcontainers `withReuse()`; also AQUASEED_CONTAINER_REUSE=true)
 *   with the farm in a template database inside it, so the next run of the key restores it in place.
 * - `{ url }`: the server and database behind that URL, which aquaseed never starts or stops.
 * - `'auto'`: a container if a runtime answers, else embedded.
 *
 * AQUASEED_DATABASE_URL, when set, comes before any of these but `{ url }` (design.md §5); omitted
 * and without it: embedded. DATABASE_URL is never read (pass `server: { url: process.env.DATABASE_URL }`
 * to use it).
 */
export type ServerOption =
  | 'embedded'
  | 'container'
  | 'auto'
  | { url: string; embedded?: never; container?: never }
  | { embedded: { cluster?: string; database?: string }; url?: never; container?: never }
  | { container: { reuse?: boolean; database?: string }; url?: never; embedded?: never };

export interface SeedFarmOptions {
  /** A preset name (`single-batch`, …) or a preset/schedule file (`.yaml`), when `seedFarm(options)` is called without one. */
  preset?: string;
  /**
   * A schedule to seed instead of a preset: an object (from `planSchedule`, or edited) or the path
   * of a schedule file (`aquaseed plan <preset> -o file`). It is validated first: overlapping
   * bookings, unknown containers or missing stages are refused with the batches and dates.
   */
  schedule?: Schedule | string;
  /**
   * The farm's "now", replacing the preset's or schedule's: a date (its 00:00 UTC), `today` /
   * `today-3d` (the start of that day), `now` (the start of the current hour) or an ISO instant;
   * resolved in UTC now, so a farm dated today is one farm (and cache key) per day, `now` one per
   * hour; see `clock`. Nothing is stamped after it.
   */
  asOf?: string;
  /** Incidents (docs/incidents.md), added after the preset's or schedule's own. */
  incidents?: readonly IncidentInput[];
  /** Planned activities due within this many days before asOf stay PENDING (overdue); replaces the preset's. */
  overdueActivityDays?: number;
  /** The password of `admin` and the farm's other users, replacing the preset's (default `admin123`, AquaMind's documented one). */
  adminPassword?: string;
  /** What "today" is for a relative asOf (default: AQUASEED_TODAY, else the wall clock). */
  clock?: Clock;
  /** Where PostgreSQL comes from; see {@link ServerOption}. */
  server?: ServerOption;
  /**
   * The snapshot cache, on by default: a hit restores the farm instead of generating it, from a
   * stopped cluster's files for throwaway embedded clusters (physical) or from per-table COPY files
   * for other servers (logical). `{ dir }` places it (default AQUASEED_CACHE_DIR, else
   * node_modules/.cache/aquaseed); `false` always generates and writes no entry.
   */
  cache?: boolean | { dir?: string };
  /**
   * `create` (default): aquaseed creates the AquaMind tables itself. `existing`: the database
   * already holds them (a Django-migrated AquaMind); aquaseed checks the columns and replaces only
   * the rows of the tables it writes.
   */
  schema?: 'create' | 'existing';
  /**
   * The app's own schema in the farm's database (migrate mode): aquaseed makes an empty database,
   * runs `command` in it (through the shell, in `cwd`, with DATABASE_URL and PG* of that database
   * and `env`), seeds the farm into what the migration made (a table the farm writes that the
   * migration made is checked and filled; one it did not make is created; the app's other tables
   * are left alone), then runs `setup` once. The result is cached under a key that also covers both
   * commands, `env` and the content of the files `hashFiles` matches (docs/e2e.md).
   */
  migrate?: MigrateSetting;
  /** Parallel connections for COPY and index builds (default 3). */
  connections?: number;
  /** Worker threads generating batches (default: the preset's, else 1). The content is the same for any number. */
  workers?: number;
  /** Receives each phase of the seed (plan, provision, generate with batches and rows, …). */
  onProgress?: ProgressListener;
  /**
   * Receives a line for each thing worth knowing that is not an error: an app an older AquaMind
   * database lacks (left out), a stale embedded server stopped. Default: printed to stderr as `aquaseed: …`.
   */
  onNotice?: (message: string) => void;
  /** Aborting it stops the seed; an aborted seed publishes nothing. */
  signal?: AbortSignal;

  /** @deprecated Use `server: { url }`. */
  databaseUrl?: string;
  /**
   * @deprecated Use `server`: `'embedded'`, `'container'` (was `'testcontainers'`), `'auto'` or
   * `{ url }` (was `'external'`, which reads AQUASEED_DATABASE_URL).
   */
  provider?: 'embedded' | 'external' | 'testcontainers' | 'auto';
  /** @deprecated Use `server: { container: { reuse: true } }`. */
  reuseContainer?: boolean;
  /** @deprecated Use `cache: { dir }`. */
  cacheDir?: string;
  /** @deprecated Use `server: { embedded: { cluster } }`. */
  cluster?: string;
  /** @deprecated Use `server: { embedded: { database } }` or `server: { container: { database } }`. */
  database?: string;
}
