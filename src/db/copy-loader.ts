/**
 * A RowSink that streams rows into PostgreSQL with COPY FROM STDIN. Rows are encoded at once and
 * collected per table into chunks; full chunks become COPY jobs run on a small pool of
 * connections, so several tables load in parallel. Memory stays bounded: when too many bytes are
 * waiting, `needsDrain()` tells the producer to `await drain()`.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Row, TableName } from '../schema/tables/index.js';
import type { RowSink } from '../rows/sink.js';
import { connectClient, endQuietly, withTransaction } from './client.js';
import { TableChunks, copyColumns } from './copy-encoder.js';
import { qualified } from '../schema/identifiers.js';
import type { CopyFiles } from './copy-files.js';

export interface CopyLoaderOptions {
  connectionString: string;
  schema: string;
  /** Parallel COPY connections. */
  connections?: number;
  /** Bytes per COPY job. */
  chunkBytes?: number;
  /** Bytes waiting for COPY before producers must wait. */
  highWaterBytes?: number;
  /** Resolves when the target tables exist; COPY waits for it, encoding does not. */
  ready?: Promise<unknown>;
  /**
   * COPY on this connection instead of opening `connections` of its own: rows then land inside the
   * connection's open transaction (existing-schema mode). The loader never closes it.
   */
  client?: pg.Client;
  /** Also writes every chunk to these files as it is copied (a logical cache entry written while loading). */
  files?: CopyFiles;
  /**
   * Each table loads on one connection, in one transaction that truncates it first, with COPY
   * FREEZE: its rows are written frozen (no second write of every page when they are first read)
   * and, at wal_level=minimal, without WAL. Only for tables nothing else touches until `finish()`
   * (a fresh staging schema); not with `client`.
   */
  freeze?: boolean;
}

/** Encoded COPY lines of one table, ready to send (from another thread's `TableChunks`). */
export interface EncodedChunk {
  table: TableName;
  rows: number;
  data: Buffer;
  /** Called once the chunk is in the table (or dropped because the load stopped). */
  done?: () => void;
}

/** A sink that buffers rows for COPY: a synchronous producer yields and drains as it asks. */
export interface RowLoader extends RowSink {
  /** True when COPY jobs wait for the event loop: a synchronous producer should yield now and then. */
  hasQueuedWork(): boolean;
  /** True when the producer should `await drain()` before emitting more. */
  needsDrain(): boolean;
  drain(): Promise<void>;
  /** Flushes everything and waits until it is loaded. Returns the rows per table emitted here. */
  finish(): Promise<Map<TableName, number>>;
  abort(): Promise<void>;
}

/** `a` plus `b`, per table. */
export function addCounts(a: ReadonlyMap<TableName, number>, b: ReadonlyMap<TableName, number>): Map<TableName, number> {
  const out = new Map(a);
  for (const [table, count] of b) out.set(table, (out.get(table) ?? 0) + count);
  return out;
}

export class CopyLoader implements RowLoader {
  private readonly chunks: TableChunks;
  private readonly queue: EncodedChunk[] = [];
  private readonly connections: number;
  private readonly chunkBytes: number;
  private readonly highWaterBytes: number;
  private clients: pg.Client[] = [];
  private running: Promise<void>[] = [];
  private queuedBytes = 0;
  private failure: unknown = null;
  private thrown: unknown = null;
  /** The table each connection is copying into, to name it when the connection itself fails. */
  private readonly copying = new Map<pg.Client, TableName>();
  /** With `freeze`: the connection whose transaction holds each table. */
  private readonly holder = new Map<TableName, pg.Client>();
  private wake: (() => void) | null = null;
  private closed = false;
  private readonly failedController = new AbortController();

  constructor(private readonly options: CopyLoaderOptions) {
    this.connections = options.connections ?? 3;
    this.chunkBytes = options.chunkBytes ?? 2 * 1024 * 1024;
    this.highWaterBytes = options.highWaterBytes ?? 64 * 1024 * 1024;
    this.chunks = new TableChunks(this.chunkBytes, (table, rows, data) => this.push({ table, rows, data }));
  }

  async open(): Promise<void> {
    const borrowed = this.options.client;
    if (borrowed) this.clients.push(borrowed);
    for (let i = 0; i < (borrowed ? 0 : this.connections); i++) {
      const client = await connectClient(this.options.connectionString);
      client.on('error', (error) => this.fail(error, this.copying.get(client)));
      await client.query('SET synchronous_commit = off');
      this.clients.push(client);
    }
    const ready = this.options.ready ?? Promise.resolve();
    ready.catch((error: unknown) => this.fail(error));
    const freeze = this.options.freeze === true && !borrowed;
    this.running = this.clients.map(async (client) => {
      // The failure is the loader's (fail() above): each connection just stops waiting for it.
      await ready.catch(() => {});
      if (!freeze) return this.work(client, false);
      // One transaction per connection, committed only when the whole load went in.
      await withTransaction(client, async () => {
        await this.work(client, true);
        if (this.failure !== null) throw this.failure;
      }).catch((error: unknown) => this.fail(error, this.copying.get(client)));
    });
  }

  emit<N extends TableName>(table: N, row: Row<N>): void {
    this.chunks.add(table, row);
  }

  /**
   * Queues rows another thread encoded (and counts: `finish()` reports this loader's own rows);
   * `needsDrain()` counts their bytes like the loader's own.
   */
  enqueueEncoded(chunk: EncodedChunk): void {
    if (this.failure !== null || this.closed) {
      chunk.done?.();
      return;
    }
    this.push(chunk);
  }

  /** True when COPY jobs wait for the event loop: a synchronous producer should yield now and then. */
  hasQueuedWork(): boolean {
    return this.queue.length > 0;
  }

  /** True when the producer should `await drain()` before emitting more. */
  needsDrain(): boolean {
    return this.queuedBytes >= this.highWaterBytes || this.failure !== null;
  }

  /** Waits until the queued bytes fall below half the high-water mark. */
  async drain(): Promise<void> {
    while (this.queuedBytes >= this.highWaterBytes / 2 && this.failure === null) {
      await new Promise<void>((resolve) => setTimeout(resolve, 5));
    }
    this.rethrow();
  }

  /** Flushes everything, waits for every COPY and closes the connections. Returns rows per table. */
  async finish(): Promise<Map<TableName, number>> {
    this.chunks.flush();
    this.closed = true;
    this.wake?.();
    await Promise.allSettled(this.running);
    await this.close();
    this.rethrow();
    return new Map(this.chunks.rowCounts);
  }

  /**
   * Stops at once (on failure or interrupt): pending COPYs are abandoned with their connections. A
   * borrowed connection finishes the chunk it is sending, so its owner can roll back.
   */
  async abort(): Promise<void> {
    this.closed = true;
    this.dropQueue();
    this.wake?.();
    if (this.options.client) await Promise.allSettled(this.running);
    await this.close();
  }

  private async close(): Promise<void> {
    const clients = this.clients.filter((client) => client !== this.options.client);
    this.clients = [];
    await Promise.all(clients.map(endQuietly));
  }

  private push(chunk: EncodedChunk): void {
    this.queue.push(chunk);
    this.queuedBytes += chunk.data.length;
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private dropQueue(): void {
    for (const chunk of this.queue.splice(0)) {
      this.queuedBytes -= chunk.data.length;
      chunk.done?.();
    }
  }

  /**
   * The next job for `client`: the first queued one, or with `freeze` the first whose table is
   * held by no other connection's transaction.
   */
  private take(client: pg.Client, freeze: boolean): EncodedChunk | undefined {
    if (!freeze) return this.queue.shift();
    const at = this.queue.findIndex((job) => (this.holder.get(job.table) ?? client) === client);
    return at < 0 ? undefined : this.queue.splice(at, 1)[0];
  }

  private async work(client: pg.Client, freeze: boolean): Promise<void> {
    for (;;) {
      if (this.failure !== null) return;
      const job = this.take(client, freeze);
      if (!job) {
        if (this.closed) return;
        await new Promise<void>((resolve) => {
          const previous = this.wake;
          this.wake = () => {
            previous?.();
            resolve();
          };
        });
        continue;
      }
      try {
        this.copying.set(client, job.table);
        const table = qualified(this.options.schema, job.table);
        let options = '';
        if (freeze) {
          // FREEZE needs the table truncated in this transaction: its rows then go to a new file.
          if (!this.holder.has(job.table)) {
            this.holder.set(job.table, client);
            await client.query(`TRUNCATE ${table}`);
          }
          options = ' (FREEZE)';
        }
        const sql = `COPY ${table} (${copyColumns(job.table)}) FROM STDIN${options}`;
        const copied = pipeline(Readable.from([job.data]), client.query(copyFrom(sql)));
        // A file that cannot be written fails the load as itself (a full disk says so), not as a COPY.
        const written = this.options.files?.write(job.table, job.data).catch((error: unknown) => {
          this.fail(error);
          throw error;
        });
        await Promise.all([copied, written]);
      } catch (error) {
        this.fail(error, job.table);
        return;
      } finally {
        this.copying.delete(client);
        this.queuedBytes -= job.data.length;
        job.done?.();
      }
    }
  }

  /**
   * The reason to report for `error` once the load has stopped: a failure this loader threw may
   * since have been explained better (see `fail`).
   */
  explain(error: unknown): unknown {
    return error === this.thrown && this.failure !== null ? this.failure : error;
  }

  private fail(error: unknown, table?: TableName): void {
    // When the server ends a session mid-COPY, the write often fails first (EPIPE, ECONNRESET) and
    // the server's own reason ("terminating connection due to administrator command") arrives on
    // the same or another connection a moment later: that one says what happened, so it wins.
    if (this.failure !== null && !(isSocketError(this.failure) && !isSocketError(error))) return;
    const socket = isSocketError(error);
    if (!table && !socket) {
      this.failure = error;
    } else {
      const message = (error as Error).message;
      const reason = socket ? `the connection closed (${message}): PostgreSQL terminated the session or stopped` : message;
      this.failure = new Error(`${table ? `COPY into ${table}` : 'COPY'} failed: ${reason}`, { cause: error });
    }
    this.dropQueue();
    this.wake?.();
    this.failedController.abort(this.failure);
  }

  /** Aborted when the load fails: whatever produces rows for this loader can stop. */
  get failed(): AbortSignal {
    return this.failedController.signal;
  }

  private rethrow(): void {
    if (this.failure === null) return;
    this.thrown = this.failure;
    throw this.failure;
  }
}

/** A failure of the socket itself rather than an error PostgreSQL reported. */
function isSocketError(error: unknown): boolean {
  const root = error instanceof Error && error.cause !== undefined ? error.cause : error;
  const code = (root as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E(PIPE|CONNRESET|CONNREFUSED|CONNABORTED|TIMEDOUT|HOSTUNREACH|NETUNREACH|NOTCONN)$/.test(code);
}
