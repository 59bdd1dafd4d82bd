/**
 * The last lines a process printed, kept in a bounded ring: what an app's `logs()` and a failed
 * command's message show, and what a readiness RegExp is matched against as lines arrive.
 * Terminal colour codes are dropped (a log attached to a test report is read, not rendered).
 */
import type { Readable } from 'node:stream';

export type OutputStream = 'stdout' | 'stderr';

export interface OutputLine {
  stream: OutputStream;
  text: string;
}

export interface OutputRingOptions {
  /** Lines kept (default 2000); older ones are dropped and counted. */
  maxLines?: number;
  /** Characters kept of one line (default 4000). */
  maxLineLength?: number;
}

// CSI and OSC escape sequences (colours, cursor moves, window titles).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

export class OutputRing {
  private readonly kept: OutputLine[] = [];
  private readonly partial: Record<OutputStream, string> = { stdout: '', stderr: '' };
  private readonly listeners = new Set<(line: OutputLine) => void>();
  private readonly maxLines: number;
  private readonly maxLineLength: number;
  /** Lines dropped from the front to keep the ring bounded. */
  dropped = 0;

  constructor(options: OutputRingOptions = {}) {
    this.maxLines = options.maxLines ?? 2000;
    this.maxLineLength = options.maxLineLength ?? 4000;
  }

  /** Keeps what `stream` prints, line by line. */
  attach(stream: Readable, name: OutputStream): void {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => this.write(name, chunk));
    stream.on('end', () => this.flush(name));
  }

  write(stream: OutputStream, chunk: string): void {
    const text = this.partial[stream] + chunk;
    const lines = text.split(/\r?\n/);
    this.partial[stream] = lines.pop() ?? '';
    // A line that never ends (a progress bar redrawn with \r) is kept in pieces.
    if (this.partial[stream].length > this.maxLineLength) {
      lines.push(this.partial[stream]);
      this.partial[stream] = '';
    }
    for (const line of lines) this.push({ stream, text: line });
  }

  /** Keeps the unfinished last line of `stream` (or both) as a line. */
  flush(stream?: OutputStream): void {
    for (const name of stream ? [stream] : (['stdout', 'stderr'] as const)) {
      if (this.partial[name] === '') continue;
      const text = this.partial[name];
      this.partial[name] = '';
      this.push({ stream: name, text });
    }
  }

  /** Calls `listener` with every line from now on; returns the unsubscribe. */
  onLine(listener: (line: OutputLine) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The kept lines, oldest first, the unfinished ones last. */
  lines(): OutputLine[] {
    const pending = (['stdout', 'stderr'] as const).filter((name) => this.partial[name] !== '').map((name) => ({ stream: name, text: this.partial[name] }));
    return [...this.kept, ...pending];
  }

  /** The last `count` lines (default all kept) as text, stderr lines marked. */
  text(count?: number): string {
    const lines = this.lines();
    const shown = count === undefined ? lines : lines.slice(-count);
    const cut = this.dropped + lines.length - shown.length;
    const head = cut > 0 ? [`[… ${cut} earlier line${cut === 1 ? '' : 's'}]`] : [];
    return [...head, ...shown.map((line) => (line.stream === 'stderr' ? `[stderr] ${line.text}` : line.text))].join('\n');
  }

  private push(line: OutputLine): void {
    let text = line.text.replace(ANSI, '');
    if (text.length > this.maxLineLength) text = `${text.slice(0, this.maxLineLength)}…`;
    const kept = { stream: line.stream, text };
    this.kept.push(kept);
    if (this.kept.length > this.maxLines) {
      this.kept.shift();
      this.dropped++;
    }
    for (const listener of this.listeners) listener(kept);
  }
}
