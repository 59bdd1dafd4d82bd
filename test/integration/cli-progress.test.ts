/**
 * The progress display of `seed`, `up` and `warm`, fed the events a seed emits: a cli-progress bar
 * on a terminal, plain lines otherwise. (The end-to-end non-terminal case is in cli-commands.)
 */
/* eslint-disable no-control-regex -- the terminal's escape sequences are what these tests read */
import { describe, expect, it } from 'vitest';
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function play(reporter: ReturnType<typeof progressReporter>): Promise<void> {
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
    await sleep(150);
  }
  reporter.stop();
}

describe('progress on a terminal', () => {
  it('draws a bar with the phase, batches done of all, rows/s and ETA, and clears it at the end', async () => {
    const { stream: tty, output } = stream(true);
    await play(progressReporter(tty));
    const frames = output().split('\x1b[1G').map((frame) => frame.replace(/\x1b(\[[0-9;?]*[A-Za-z]|[78])/g, ''));
    expect(frames).toContainEqual(expect.stringMatching(/^generate\+load \[[█░]+\] 2\/4 batches \| [\d,]+ rows\/s \| ETA \d+s \| \d+s$/));
    expect(frames).toContainEqual(expect.stringMatching(/^keys\+index {4}\[/));
    expect(frames).toContainEqual(expect.stringMatching(/^snapshot {6}\[/));
    // clearOnComplete: the last thing written erases the bar's line.
    expect(output()).toMatch(/\x1b\[2K[^\n]*$/);
  });
});

describe('progress in a log', () => {
  it('writes one plain line per phase and, within one, at most one per interval', async () => {
    const { stream: log, output } = stream(false);
    await play(progressReporter(log, 100_000));
    expect(output()).not.toMatch(/\x1b/);
    expect(output().trim().split('\n').map((line) => line.replace(/\(\d+\.\d s\)$/, '(t)'))).toEqual([
      'aquaseed: plan (t)',
      'aquaseed: server (t)',
      'aquaseed: prepare (t)',
      'aquaseed: generate+load 0/4 batches (t)',
      'aquaseed: keys+index (t)',
      'aquaseed: publish (t)',
      'aquaseed: snapshot (t)',
    ]);
  });

  it('gives rows/s and the ETA when lines are due', async () => {
    const { stream: log, output } = stream(false);
    await play(progressReporter(log, 0));
    expect(output()).toMatch(/^aquaseed: generate\+load 2\/4 batches · [\d,]+ rows\/s · ETA \d+ s \(\d+\.\d s\)$/m);
  });
});
