/**
 * COPY chunks a worker thread encodes for a connection it cannot use: in existing-schema mode
 * every row goes in inside the main thread's one transaction. The worker still does the costly
 * part (simulating and encoding); full chunks travel to the main thread as transferred buffers (no
 * copy), and the main thread acknowledges each once it is in its table, which bounds the bytes in
 * flight as the COPY loader's own high-water mark does.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Row, TableName } from '../schema/tables/index.js';
import { TableChunks } from '../db/copy-encoder.js';
import type { CopyLoader, RowLoader } from '../db/copy-loader.js';

interface ChunkMessage {
  table: TableName;
  rows: number;
  buffer: ArrayBuffer;
  length: number;
}

interface AckMessage {
  bytes: number;
}

/** The worker's side: a RowLoader whose COPY runs on the main thread. */
export class ChunkPortSink implements RowLoader {
  private readonly chunks: TableChunks;
  private inFlight = 0;
  private acked: (() => void) | null = null;

  constructor(
    private readonly port: MessagePort,
    chunkBytes = 2 * 1024 * 1024,
    private readonly highWaterBytes = 32 * 1024 * 1024,
  ) {
    this.chunks = new TableChunks(chunkBytes, (table, rows, data) => this.send(table, rows, data));
    port.on('message', (message: AckMessage) => {
      this.inFlight -= message.bytes;
      const acked = this.acked;
      this.acked = null;
      acked?.();
    });
  }

  emit<N extends TableName>(table: N, row: Row<N>): void {
    this.chunks.add(table, row);
  }

  needsDrain(): boolean {
    return this.inFlight >= this.highWaterBytes;
  }

  async drain(): Promise<void> {
    while (this.inFlight >= this.highWaterBytes / 2) await new Promise<void>((resolve) => (this.acked = resolve));
  }

  /** Posting is synchronous: nothing waits for this thread's event loop. */
  hasQueuedWork(): boolean {
    return false;
  }

  /** Sends what is left and waits until the main thread has loaded all of it. */
  async finish(): Promise<Map<TableName, number>> {
    this.chunks.flush();
    while (this.inFlight > 0) await new Promise<void>((resolve) => (this.acked = resolve));
    this.port.close();
    return new Map(this.chunks.rowCounts);
  }

  async abort(): Promise<void> {
    this.port.close();
  }

  private send(table: TableName, rows: number, data: Buffer): void {
    this.inFlight += data.length;
    // take() hands out the start of a buffer of its own, so the whole ArrayBuffer can move.
    const message: ChunkMessage = { table, rows, buffer: data.buffer as ArrayBuffer, length: data.length };
    this.port.postMessage(message, [message.buffer]);
  }
}

/** The main thread's side: every chunk arriving on `port` is queued on `loader`, and acknowledged once loaded. */
export function receiveChunks(port: MessagePort, loader: CopyLoader): void {
  port.on('message', (message: ChunkMessage) => {
    loader.enqueueEncoded({
      table: message.table,
      rows: message.rows,
      data: Buffer.from(message.buffer, 0, message.length),
      done: () => port.postMessage({ bytes: message.length } satisfies AckMessage),
    });
  });
}
