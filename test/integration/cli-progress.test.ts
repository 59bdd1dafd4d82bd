/**
 * The progress display of `seed`, `up` and `warm`, fed the events a seed emits: a cli-progress bar
 * on a terminal, plain lines otherwise. (The end-to-end non-terminal case is in cli-commands.)
 */
/* eslint-disable no-control-regex -- the terminal's escape sequences are what these tests read */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Writable } from 'node:stream';
import { progressReporter } from '../../src/cli/progress.js';
import type { SeedProgress } from '../../src/seed/progress.js';

function stream(isTTY: boolean): { stream: NodeJS.WriteStream; output: () => string } {
  let text = '';
  const writable = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  Object.assign(writable, { isTTY, columns: 160 });
  return { stream: writable as unknown as NodeJS.WriteStream, output: () => text };
}

// The reporters and cli-progress read the clock (performance.now, Date.now) and cli-progress draws
// on a timer: a fake clock gives every event its own moment, with no real time passing.
beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

function play(reporter: ReturnType<typeof progressReporter>): void {
  const events: SeedProgress[] = [
    { phase: 'plan' },
    { phase: 'provision' },
    { phase: 'prepare' },
    { phase: 'generate', batchesDone: 0, batches: 4 },
    { phase: 'generate', batchesDone: 1, batches: 4, rows: 20_000 },
    { phase: 'generate', batchesDone: 2, batches: 4, rows: 40_000 },
    { phase: 'keys' },
    { phase: 'publish' },
    { phase: 'done' },
    { phase: 'snapshot' },
  ];
  for (const event of events) {
    reporter.update(event);
    // cli-progress redraws at most 10 times a second: give each event its own frame.
    vi.advanceTimersByTime(150);
  }
  reporter.stop();
}

describe('progress on a terminal', () => {
  it('draws a bar with the phase, batches done of all, rows/s and ETA, and clears it at the end', () => {
    const { stream: tty, output } = stream(true);
    play(progressReporter(tty));
    const frames = output().split('\x1b[1G').map((frame) => frame.replace(/\x1b(\[[0-9;?]*[A-Za-z]|[78])/g, ''));
    expect(frames).toContainEqual(expect.stringMatching(/^generate\+load \[[█░]+\] 2\/4 batches \| [\d,]+ rows\/s \| ETA \d+s \| \d+s$/));
    expect(frames).toContainEqual(expect.stringMatching(/^keys\+index {4}\[/));
    expect(frames).toContainEqual(expect.stringMatching(/^snapshot {6}\[/));
    // clearOnComplete: the last thing written erases the bar's line.
    expect(output()).toMatch(/\x1b\[2K[^\n]*$/);
  });
});

describe('progress in a log', () => {
  it('writes one plain line per phase and, within one, at most one per interval', () => {
    const { stream: log, output } = stream(false);
    play(progressReporter(log, 100_000, 'tiny'));
    expect(output()).not.toMatch(/\x1b/);
    expect(output().trim().split('\n').map((line) => line.replace(/\d+\.\d s\)$/, 't)'))).toEqual([
      '[aquaseed] tiny: plan (t)',
      '[aquaseed] tiny: server (t)',
      '[aquaseed] tiny: prepare (t)',
      '[aquaseed] tiny: generate+load 0% (0/4 batches, t)',
      '[aquaseed] tiny: keys+index (t)',
      '[aquaseed] tiny: publish (t)',
      '[aquaseed] tiny: snapshot (t)',
    ]);
  });

  it('gives the share done, the rows and the ETA when lines are due', () => {
    const { stream: log, output } = stream(false);
    play(progressReporter(log, 0, 'tiny'));
    expect(output()).toMatch(/^\[aquaseed\] tiny: generate\+load 50% \(2\/4 batches, 40 k rows, ETA \d+ s, \d+\.\d s\)$/m);
  });

  it('writes the next line of a phase once the interval has passed since the last, not before', () => {
    const { stream: log, output } = stream(false);
    // Events 150 ms apart: in generate+load (from 450 ms) the one at 600 ms is 150 ms after the
    // phase's first line (dropped), the one at 750 ms is 300 ms after it (written).
    play(progressReporter(log, 300));
    expect(output().split('\n').filter((line) => line.includes('generate+load')).map((line) => /\d\/4 batches/.exec(line)?.[0])).toEqual([
      '0/4 batches',
      '2/4 batches',
    ]);
  });

  it('a long phase with no events still gets a line every 10 s, and none after stop', () => {
    const { stream: log, output } = stream(false);
    const reporter = progressReporter(log, undefined, '40-batch');
    reporter.update({ phase: 'generate', batchesDone: 17, batches: 40, rows: 1_900_000 });
    vi.advanceTimersByTime(9_999);
    expect(output().trim().split('\n')).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(output().trim().split('\n')).toEqual([
      '[aquaseed] 40-batch: generate+load 42% (17/40 batches, 1.9 M rows, 0.0 s)',
      '[aquaseed] 40-batch: generate+load 42% (17/40 batches, 1.9 M rows, ETA 14 s, 10.0 s)',
    ]);
    reporter.update({ phase: 'indexes' });
    vi.advanceTimersByTime(25_000);
    expect(output().trim().split('\n').slice(2)).toEqual(['[aquaseed] 40-batch: index (10.0 s)', '[aquaseed] 40-batch: index (20.0 s)', '[aquaseed] 40-batch: index (30.0 s)']);
    reporter.stop();
    vi.advanceTimersByTime(60_000);
    expect(output().trim().split('\n')).toHaveLength(5);
  });

  it('notices are their own lines', () => {
    const { stream: log, output } = stream(false);
    const reporter = progressReporter(log, undefined, 'tiny');
    reporter.notice('waiting for the lock');
    reporter.stop();
    expect(output()).toBe('aquaseed: waiting for the lock\n');
  });
});
