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

/** A bar for terminals, periodic lines for everything else. */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr, lineIntervalMs = 5000): ProgressReporter {
  return stream.isTTY ? new BarReporter(stream) : new LineReporter(stream, lineIntervalMs);
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

/** Not a terminal: one line when a phase starts and, within a phase, at most one every 5 s. */
class LineReporter implements ProgressReporter {
  private phase: SeedPhase | null = null;
  private lastLine = 0;
  private phaseStart = 0;
  private readonly started = performance.now();

  constructor(private readonly stream: NodeJS.WritableStream, private readonly intervalMs: number) {}

  update(progress: SeedProgress): void {
    const now = performance.now();
    const newPhase = progress.phase !== this.phase;
    if (newPhase) {
      this.phase = progress.phase;
      this.phaseStart = now;
    } else if (now - this.lastLine < this.intervalMs) {
      return;
    }
    this.lastLine = now;
    if (progress.phase === 'done') return;
    const elapsed = ((now - this.started) / 1000).toFixed(1);
    let detail = '';
    if (progress.batches !== undefined) {
      const done = progress.batchesDone ?? 0;
      const seconds = (now - this.phaseStart) / 1000;
      const eta = done > 0 && seconds > 0 ? ` · ETA ${Math.ceil(((progress.batches - done) * seconds) / done)} s` : '';
      const rows = progress.rows !== undefined ? ` · ${rate(progress.rows, seconds)} rows/s` : '';
      detail = ` ${done}/${progress.batches} batches${rows}${eta}`;
    }
    this.stream.write(`aquaseed: ${PHASE_LABELS[progress.phase]}${detail} (${elapsed} s)\n`);
  }

  notice(message: string): void {
    this.stream.write(`aquaseed: ${message}\n`);
  }

  stop(): void {}
}
