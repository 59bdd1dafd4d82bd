/**
 * A warm pool of copies of a template database, made in the background while tests run, so that
 * a file asking for a copy takes a ready one (a rename) instead of waiting for one to be made.
 *
 * The pool is owned by one process (a runner's global setup); the copies are taken by any process
 * (the test workers) through the server itself: a ready copy carries the comment
 * `aquaseed pool copy of <template>`, a taker renames it to its own name in one transaction (two
 * takers cannot get the same copy), and tells the owner by NOTIFY, which makes the next copy.
 * Several copies are made at once (one per core by default: a copy is a checkpoint and a file copy,
 * and one copy alone leaves a core and much of the disk idle), never more than the disk budget
 * holds: the ready copies plus those being made, each the size of the template, stay within
 * `maxPoolBytes`. A copy that fails is tried again at the next take or demand; after
 * MAX_FAILED_COPIES failures in a row the pool stops, and files make their own copies.
 */
import { statfs } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type pg from 'pg';
import { AquaseedError } from '../core/errors.js';
import { cloneDatabase, databaseOf, dropDatabase, siblingUrl } from '../db/clone.js';
import { connectClient, endQuietly, queryOnce, withClient, withTransaction } from '../db/client.js';
import { ident, literal } from '../schema/identifiers.js';

export const POOL_CHANNEL = 'aquaseed_pool';

/** The share of the free disk a pool takes when no budget is given. */
export const DEFAULT_POOL_SHARE = 0.25;

/** Failed copies in a row after which the pool stops for good. */
export const MAX_FAILED_COPIES = 3;

export interface ClonePoolOptions {
  /** The template database the copies are made from (nobody may be connected to it). */
  templateUrl: string;
  /** Copies to keep ready (default 2). */
  size?: number;
  /** Copies made at the same time, at most (default: the number of cores). */
  parallel?: number;
  /**
   * The most disk the pool's copies may take, the one being made included. Default: a quarter
   * of the free space where the server keeps its data, for a server on this machine
   * (`dataDirectory`); without either the pool makes no copies and says so.
   */
  maxPoolBytes?: number;
  /** The server's data directory, when it is on this machine (the embedded server): sizes the default budget. */
  dataDirectory?: string;
  /** How the notices name the budget when it is not the caller's own maxPoolBytes (e.g. "a quarter of the free disk, shared by 2 pools"). */
  budgetSource?: string;
  /** Make copies at once (default), or only after the first file asked for one. */
  prefill?: boolean;
  /** What the pool says when the budget limits it (default: a line on stderr). */
  onNotice?: (message: string) => void;
  /** Called after every change of the pool's state (a copy started, made, or taken): for tests and progress. */
  onChange?: (stats: ClonePoolStats) => void;
}

export interface ClonePoolStats {
  /** Copies ready to be taken, as the pool last counted them. */
  ready: number;
  /** Copies being made now (at most `parallel`). */
  making: number;
  /** The copies the pool keeps ready at most: the size asked for, or fewer if the budget is smaller. */
  target: number;
  /** The template's size: what each copy takes. */
  copyBytes: number;
  budgetBytes: number;
  /** Copies made at the same time, at most: the `parallel` option, or fewer if target or budget hold fewer. */
  parallel: number;
  /** (ready + making) × copyBytes now, and the most it ever was. */
  bytes: number;
  peakBytes: number;
  /** Copies made and copies taken by workers since the pool started. */
  made: number;
  taken: number;
}

const megabytes = (bytes: number): string => `${Math.round(bytes / 2 ** 20).toLocaleString('en-US')} MB`;

/** The comment that marks a ready copy of `template`. */
function poolComment(template: string): string {
  return `aquaseed pool copy of ${template}`;
}

export class ClonePool {
  private readonly template: string;
  private readonly maintenanceUrl: string;
  private listener: pg.Client | null = null;
  private copyBytes = 0;
  private budgetBytes = 0;
  private target = 0;
  private parallel = 1;
  private ready = 0;
  private peakBytes = 0;
  private made = 0;
  private taken = 0;
  private counter = 0;
  /** Copies that failed since the last one made. */
  private failures = 0;
  /** The copies this pool made that were still ready when it last counted. */
  private readonly readyNames = new Set<string>();
  /** The copies being made now: counted as being made, even once the server lists them as ready. */
  private readonly makingNames = new Set<string>();
  private filling: Promise<void> | null = null;
  private again = false;
  private started = false;
  private closed = false;

  private constructor(private readonly options: ClonePoolOptions) {
    this.template = databaseOf(options.templateUrl);
    this.maintenanceUrl = siblingUrl(options.templateUrl, 'postgres');
  }

  /** Sizes the pool against its budget, listens for takers and (unless prefill is false) starts filling. */
  static async start(options: ClonePoolOptions): Promise<ClonePool> {
    const pool = new ClonePool(options);
    await pool.open();
    return pool;
  }

  stats(): ClonePoolStats {
    return {
      ready: this.ready,
      making: this.makingNames.size,
      target: this.target,
      parallel: this.parallel,
      copyBytes: this.copyBytes,
      budgetBytes: this.budgetBytes,
      bytes: (this.ready + this.makingNames.size) * this.copyBytes,
      peakBytes: this.peakBytes,
      made: this.made,
      taken: this.taken,
    };
  }

  /** Resolves once no copy is being made and none is due: the pool holds what it will hold. */
  async settled(): Promise<void> {
    while (this.filling) await this.filling;
  }

  /** Stops making copies and drops the ready ones. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.listener) await endQuietly(this.listener);
    await this.settled();
    // Closing is best effort: a server already gone holds no copies to drop, and one copy that
    // cannot be dropped must not keep the others (the next pool's start drops leftovers).
    for (const name of await this.readyCopies().catch(() => [] as string[])) {
      await dropDatabase(this.maintenanceUrl, name).catch(() => undefined);
    }
  }

  private async open(): Promise<void> {
    const size = this.options.size ?? 2;
    if (!Number.isInteger(size) || size < 0) {
      throw new AquaseedError('AQUASEED_INVALID_OPTION', `pool size ${JSON.stringify(size)} is not a whole number of copies`, 'pass size: 2 (copies kept ready), or 0 to make none');
    }
    const parallel = this.options.parallel ?? availableParallelism();
    if (!Number.isInteger(parallel) || parallel < 1) {
      throw new AquaseedError(
        'AQUASEED_INVALID_OPTION',
        `pool parallel ${JSON.stringify(parallel)} is not a whole number of copies of at least 1`,
        'pass parallel: 2 (copies made at the same time), or leave it out for one per core',
      );
    }
    const budget = this.options.maxPoolBytes;
    if (budget !== undefined && (!Number.isFinite(budget) || budget < 0)) {
      throw new AquaseedError(
        'AQUASEED_INVALID_OPTION',
        `maxPoolBytes ${JSON.stringify(budget)} is not a number of bytes`,
        'pass maxPoolBytes: 8e9 (bytes the ready copies may take), 0 to turn the pool off, or leave it out for a quarter of the free disk',
      );
    }
    // Copies a crashed owner left behind are not ours to count: start from none.
    for (const name of await this.readyCopies()) await dropDatabase(this.maintenanceUrl, name);
    this.copyBytes = await this.templateBytes();
    this.budgetBytes = budget ?? (this.options.dataDirectory ? await freeShare(this.options.dataDirectory) : 0);
    const fits = this.copyBytes > 0 ? Math.floor(this.budgetBytes / this.copyBytes) : size;
    this.target = Math.min(size, fits);
    this.parallel = Math.max(1, Math.min(parallel, this.target));
    if (size > 0 && this.target < size) this.notice(this.limitMessage(size, budget === undefined));
    if (this.target === 0) return;
    // If the server goes away, the listener hears nothing more: takers clone for themselves.
    this.listener = await connectClient(this.maintenanceUrl);
    this.listener.on('notification', (message) => {
      if (message.payload !== this.template) return;
      this.started = true;
      this.fill();
    });
    await this.listener.query(`LISTEN ${ident(POOL_CHANNEL)}`);
    if (this.options.prefill ?? true) {
      this.started = true;
      this.fill();
    }
  }

  private limitMessage(size: number, defaultBudget: boolean): string {
    const where = this.options.budgetSource
      ? `${this.options.budgetSource}, ${megabytes(this.budgetBytes)}`
      : defaultBudget
      ? this.options.dataDirectory
        ? `a quarter of the free disk, ${megabytes(this.budgetBytes)}`
        : 'no maxPoolBytes, and the free disk of this server cannot be read from here'
      : `maxPoolBytes ${megabytes(this.budgetBytes)}`;
    if (this.target === 0) {
      return `aquaseed: warm pool of ${this.template} is off: ${where} holds no copy of ${megabytes(this.copyBytes)}; files make their own copies (set maxPoolBytes to change it)`;
    }
    return `aquaseed: warm pool of ${this.template} keeps ${this.target} of the ${size} copies asked for ready: ${where} holds ${this.target} of ${megabytes(this.copyBytes)}`;
  }

  private notice(message: string): void {
    (this.options.onNotice ?? ((line: string) => process.stderr.write(`${line}\n`)))(message);
  }

  /** Makes copies until the target or the budget is reached; a call while filling runs again after. */
  private fill(): void {
    if (this.closed || !this.started) return;
    if (this.filling) {
      this.again = true;
      return;
    }
    this.filling = (async () => {
      try {
        do {
          this.again = false;
          try {
            await this.count();
          } catch (error) {
            this.failed(error as Error);
            return;
          }
          // Every lane makes copies one after another while the pool wants more; together they
          // never start one that target or budget (ready + being made + this one) would not hold.
          await Promise.all(Array.from({ length: this.parallel }, () => this.lane()));
        } while (this.again && !this.closed && this.started);
      } finally {
        this.filling = null;
      }
    })();
  }

  /** Whether one more copy may be started now. */
  private wantsCopy(): boolean {
    const next = this.ready + this.makingNames.size + 1;
    return !this.closed && this.started && next <= this.target && next * this.copyBytes <= this.budgetBytes;
  }

  private async lane(): Promise<void> {
    while (this.wantsCopy()) {
      try {
        await this.makeCopy();
      } catch (error) {
        this.failed(error as Error);
        return;
      }
      await this.count().catch((error: Error) => this.failed(error));
    }
  }

  /**
   * A failed copy (disk full, the template busy, server gone) must not take the run down: files
   * copy for themselves. The cause may pass (a file drops its copy and frees the disk), so the next
   * take tries again; copies that keep failing stop the pool for good.
   */
  private failed(error: Error): void {
    this.failures++;
    const reason = error.message;
    if (this.closed) return;
    if (this.failures >= MAX_FAILED_COPIES) {
      this.notice(`aquaseed: warm pool of ${this.template} stopped making copies: ${this.failures} copies in a row failed, the last with: ${reason}`);
      this.closed = true;
    } else {
      this.notice(`aquaseed: warm pool of ${this.template} could not make a copy (${reason}); it tries again when a file takes or asks for one`);
      this.started = false;
    }
  }

  private async count(): Promise<void> {
    // Copies made while the server is asked are not in its answer yet: they count as ready, not taken.
    const known = new Set(this.readyNames);
    const ready = await this.readyCopies();
    // Copies only leave the pool by being taken (or dropped on close). Counted by name, not by the
    // change in number: a copy taken while the next is being made leaves the number unchanged.
    const present = new Set(ready.filter((name) => !this.makingNames.has(name)));
    for (const name of known) {
      if (present.has(name) || !this.readyNames.has(name)) continue;
      this.readyNames.delete(name);
      this.taken++;
    }
    for (const name of this.readyNames) if (!known.has(name)) present.add(name);
    this.ready = present.size;
    this.changed();
  }

  private async makeCopy(): Promise<void> {
    const name = `${this.template.slice(0, 63 - 24)}_pool_${process.pid}_${++this.counter}`;
    this.makingNames.add(name);
    this.changed();
    try {
      await cloneDatabase(this.maintenanceUrl, this.template, name);
      await this.query(`COMMENT ON DATABASE ${ident(name)} IS ${literal(poolComment(this.template))}`);
      // Ready from now on, in the same step as it stops being made: the budget never loses sight of it.
      this.makingNames.delete(name);
      this.readyNames.add(name);
      this.ready++;
      this.made++;
      this.failures = 0;
    } catch (error) {
      await dropDatabase(this.maintenanceUrl, name).catch(() => undefined); // the copy's own failure is the one to report
      throw error;
    } finally {
      this.makingNames.delete(name);
      this.changed();
    }
  }

  private changed(): void {
    const stats = this.stats();
    this.peakBytes = Math.max(this.peakBytes, stats.bytes);
    this.options.onChange?.({ ...stats, peakBytes: this.peakBytes });
  }

  private async readyCopies(): Promise<string[]> {
    const { rows } = await this.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE shobj_description(oid, 'pg_database') = $1 ORDER BY datname`,
      [poolComment(this.template)],
    );
    return rows.map((row) => row.datname);
  }

  private async templateBytes(): Promise<number> {
    const { rows } = await this.query<{ bytes: string }>('SELECT pg_database_size($1) AS bytes', [this.template]);
    return Number(rows[0]?.bytes ?? 0);
  }

  private query<R extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    return queryOnce<R>(this.maintenanceUrl, text, params);
  }
}

/** A quarter of the space free for unprivileged writes on the filesystem holding `dir`. */
async function freeShare(dir: string): Promise<number> {
  const stats = await statfs(dir);
  return Math.floor(stats.bavail * stats.bsize * DEFAULT_POOL_SHARE);
}

/**
 * Takes a ready copy of `template` for `target` (renaming it), if the pool holds one, and tells
 * the pool's owner either way when `demand` is set, so it makes the next one. False: no copy was
 * ready (or no pool runs); make one yourself.
 */
export async function takePooledCopy(templateUrl: string, target: string, options: { demand?: boolean } = {}): Promise<boolean> {
  const template = databaseOf(templateUrl);
  return withClient(siblingUrl(templateUrl, 'postgres'), async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE shobj_description(oid, 'pg_database') = $1 ORDER BY datname`,
      [poolComment(template)],
    );
    let taken = false;
    for (const { datname } of rows) {
      try {
        await withTransaction(client, async () => {
          await client.query(`ALTER DATABASE ${ident(datname)} RENAME TO ${ident(target)}`);
          await client.query(`COMMENT ON DATABASE ${ident(target)} IS NULL`);
        });
        taken = true;
        break;
      } catch (error) {
        // Another worker took it first (3D000), or it is being dropped: try the next one.
        if ((error as { code?: string }).code !== '3D000' && (error as { code?: string }).code !== '55006') throw error;
      }
    }
    if (taken || options.demand) await client.query('SELECT pg_notify($1, $2)', [POOL_CHANNEL, template]);
    return taken;
  });
}
