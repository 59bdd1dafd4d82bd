/**
 * How the CLI shows a seed in progress: a cli-progress bar on a terminal, plain lines on stderr
 * otherwise (CI logs keep every line, so they get one per phase and one every few seconds, not a
 * redrawn bar). `--quiet` and `--json` callers pass no reporter at all.
 */
import cliProgress from 'cli-progress';
import type { SeedPhase, SeedProgress } from '../seed/progress.js';

/** Phase names as the user reads them. */
const PHASE_LABELS: Record<SeedPhase, string> = {
  plan: 'plan',
  provision: 'server',
  migrate: 'app migrate',
  prepare: 'prepare',
  restore: 'restore',
  generate: 'generate+load',
  keys: 'keys+index',
  indexes: 'index',
  analyze: 'analyze',
  publish: 'publish',
  setup: 'app setup',
  verify: 'verify',
  snapshot: 'snapshot',
  done: 'done',
};

export interface ProgressReporter {
  update(progress: SeedProgress): void;
  /** Prints a line the user should read (`aquaseed: …`) without breaking the display. */
  notice(message: string): void;
  /** Ends the display (also on failure), leaving the terminal as it was. */
  stop(): void;
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const rate = (count: number, seconds: number): string => {
  const perSecond = seconds > 0 ? count / seconds : 0;
  return perSecond < 10 ? perSecond.toFixed(1) : grouped.format(perSecond);
};

/** How often a log gets a line during a long phase with no news (a CI job must not look hung). */
export const LOG_LINE_INTERVAL_MS = 10_000;

/**
 * A bar for terminals, periodic lines for everything else. `label` (the preset) leads each log
 * line: `[aquaseed] 40-batch: generate+load 42% (17/40 batches, 1.9 M rows, 18.0 s)`.
 */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr, lineIntervalMs = LOG_LINE_INTERVAL_MS, label?: string): ProgressReporter {
  return stream.isTTY ? new BarReporter(stream) : new LineReporter(stream, lineIntervalMs, label);
}

class BarReporter implements ProgressReporter {
  private readonly bar: cliProgress.SingleBar;
  private started = false;
  private generateStart = 0;
  private lastRate = '-';

  constructor(private readonly stream: NodeJS.WriteStream) {
    this.bar = new cliProgress.SingleBar(
      {
        stream,
        format: '{phase} [{bar}] {value}/{total} batches | {rate} | ETA {etaText} | {duration_formatted}',
        hideCursor: true,
        clearOnComplete: true,
        // Ctrl-C is ours: the CLI aborts the seed and stops the bar itself.
        gracefulExit: false,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  update(progress: SeedProgress): void {
    // The CLI prints its own summary when seedFarm returns (a snapshot may still follow 'done').
    if (progress.phase === 'done') return;
    if (progress.phase === 'generate' && this.generateStart === 0) this.generateStart = performance.now();
    const payload = { phase: PHASE_LABELS[progress.phase].padEnd(13), rate: this.rateOf(progress), etaText: this.etaOf(progress) };
    if (!this.started) {
      this.started = true;
      this.bar.start(progress.batches ?? 1, 0, payload);
    }
    if (progress.batches !== undefined) this.bar.setTotal(progress.batches);
    this.bar.update(progress.batchesDone ?? this.bar.getProgress() * this.bar.getTotal(), payload);
  }

  private rateOf(progress: SeedProgress): string {
    // After generation the pace it reached stays on screen.
    if (progress.phase !== 'generate') return this.lastRate;
    this.lastRate = this.currentRate(progress);
    return this.lastRate;
  }

  private currentRate(progress: SeedProgress): string {
    const seconds = this.generateStart ? (performance.now() - this.generateStart) / 1000 : 0;
    if (progress.rows !== undefined) return `${rate(progress.rows, seconds)} rows/s`;
    return `${rate(progress.batchesDone ?? 0, seconds)} batches/s`;
  }

  /** From the batches' pace, once there is one (cli-progress's own ETA reads "NF" until then). */
  private etaOf(progress: SeedProgress): string {
    const done = progress.batchesDone ?? 0;
    if (progress.phase !== 'generate' || !progress.batches || done === 0) return '-';
    const seconds = (performance.now() - this.generateStart) / 1000;
    return `${Math.ceil(((progress.batches - done) * seconds) / done)}s`;
  }

  notice(message: string): void {
    // Over the bar's line; the bar draws itself again below at its next update.
    this.stream.write(`${this.started ? '\r\x1b[K' : ''}aquaseed: ${message}\n`);
  }

  stop(): void {
    if (this.started) this.bar.stop();
    this.started = false;
  }
}

/** 1,234 rows; 42 k rows; 1.9 M rows. */
function rowCount(rows: number): string {
  if (rows < 10_000) return grouped.format(rows);
  if (rows < 1_000_000) return `${Math.round(rows / 1000)} k`;
  return `${(rows / 1_000_000).toFixed(1)} M`;
}

/**
 * Not a terminal: one line when a phase starts and, within a phase, one at least every interval:
 * on the next event once it is due, or from a timer when a phase sends none (an index build, a
 * restore's COPY), so a log never goes quiet for longer than the interval.
 */
class LineReporter implements ProgressReporter {
  private phase: SeedPhase | null = null;
  private last: SeedProgress | null = null;
  private lastLine = 0;
  private phaseStart = 0;
  private readonly started = Date.now();
  private readonly timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly stream: NodeJS.WritableStream, private readonly intervalMs: number, private readonly label?: string) {
    if (intervalMs > 0) {
      this.timer = setInterval(() => this.heartbeat(), intervalMs);
      this.timer.unref?.(); // a seed that finished must not wait for the next tick
    }
  }

  update(progress: SeedProgress): void {
    const now = Date.now();
    const newPhase = progress.phase !== this.phase;
    this.last = progress;
    if (newPhase) {
      this.phase = progress.phase;
      this.phaseStart = now;
    } else if (now - this.lastLine < this.intervalMs) {
      return;
    }
    this.write(progress, now);
  }

  private heartbeat(): void {
    const now = Date.now();
    if (this.last && now - this.lastLine >= this.intervalMs) this.write(this.last, now);
  }

  private write(progress: SeedProgress, now: number): void {
    this.lastLine = now;
    if (progress.phase === 'done') return;
    const elapsed = `${((now - this.started) / 1000).toFixed(1)} s`;
    const parts: string[] = [];
    let percent = '';
    if (progress.batches !== undefined) {
      const done = progress.batchesDone ?? 0;
      percent = ` ${Math.floor((100 * done) / Math.max(progress.batches, 1))}%`;
      parts.push(`${done}/${progress.batches} batches`);
      if (progress.rows !== undefined) parts.push(`${rowCount(progress.rows)} rows`);
      const seconds = (now - this.phaseStart) / 1000;
      if (done > 0 && seconds > 0 && done < progress.batches) parts.push(`ETA ${Math.ceil(((progress.batches - done) * seconds) / done)} s`);
    } else if (progress.rows !== undefined) {
      parts.push(`${rowCount(progress.rows)} rows`);
    }
    parts.push(elapsed);
    const who = this.label ? `${this.label}: ` : '';
    this.stream.write(`[aquaseed] ${who}${PHASE_LABELS[progress.phase]}${percent} (${parts.join(', ')})\n`);
  }

  notice(message: string): void {
    this.stream.write(`aquaseed: ${message}\n`);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
