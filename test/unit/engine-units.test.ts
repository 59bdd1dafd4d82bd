/** The engine's small pure pieces: fish splits, growth steps, seasonal temperature. */
import { describe, expect, it } from 'vitest';
import { potentialGainFraction, tgcStep } from '../../src/core/growth.js';
import { Rng } from '../../src/core/rng.js';
import { splitByWeights, splitEvenly } from '../../src/engine/split.js';
import { seasonalSeaTemperature, TemperatureModel } from '../../src/core/temperature.js';
import { dayNumber } from '../../src/core/time.js';
import { planMoves } from '../../src/engine/transfers.js';

function populations(n: number, seed: string): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => rng.int(250_000, 350_000));
}

describe('planMoves', () => {
  it.each([
    [10, 10],
    [10, 20],
    [10, 8],
    [10, 15],
    [10, 12],
    [3, 7],
    [7, 3],
    [10, 1],
  ])('splits %i sources over %i destinations without losing or doubling a fish', (n, m) => {
    const sources = populations(n, `${n}-${m}`);
    const moves = planMoves(sources, m);
    const given = new Array<number>(n).fill(0);
    const received = new Array<number>(m).fill(0);
    for (const move of moves) {
      expect(move.count).toBeGreaterThan(0);
      given[move.source]! += move.count;
      received[move.dest]! += move.count;
    }
    expect(given).toEqual(sources);
    for (const r of received) expect(r).toBeGreaterThan(0);
    expect(received.reduce((a, b) => a + b)).toBe(sources.reduce((a, b) => a + b));
    expect(moves.length).toBeLessThanOrEqual(n + m - 1);
    // No slivers: every move carries at least a fair share of a source's overlap.
    const smallest = Math.min(...moves.map((mv) => mv.count / sources[mv.source]!));
    expect(smallest).toBeGreaterThan(1 / (2 * m) - 1e-9);
  });

  it('pairs tanks one to one when the counts match', () => {
    const sources = populations(10, 'pairs');
    expect(planMoves(sources, 10)).toEqual(sources.map((count, i) => ({ source: i, dest: i, count })));
  });
});

describe('splits', () => {
  it('splits evenly with the remainder in the first parts', () => {
    expect(splitEvenly(3_500_007, 10)).toEqual([350_001, 350_001, 350_001, 350_001, 350_001, 350_001, 350_001, 350_000, 350_000, 350_000]);
  });

  it('splits by weights exactly', () => {
    const parts = splitByWeights(148_033, [0.1, 0.4, 0.35, 0.12, 0.03]);
    expect(parts.reduce((a, b) => a + b)).toBe(148_033);
    expect(parts).toEqual([14_803, 59_213, 51_812, 17_764, 4_441]);
  });
});

describe('growth', () => {
  it('applies the cube-root TGC step', () => {
    expect(tgcStep(500, 0.0031, 9.5)).toBeCloseTo((Math.cbrt(500) + 0.0031 * 9.5) ** 3, 9);
    expect(tgcStep(1000, 0.0031, 0)).toBe(1000);
  });

  it('sizes no ration in Egg&Alevin and a shrinking one as fish grow', () => {
    expect(potentialGainFraction(0.1, 1, 8)).toBe(0);
    const small = potentialGainFraction(500, 6, 9.5);
    const large = potentialGainFraction(5000, 6, 9.5);
    expect(small).toBeGreaterThan(large);
    expect(small).toBeGreaterThan(0.008);
    expect(large).toBeLessThan(0.006);
  });
});

describe('temperature', () => {
  it('follows the calendar: warm late summer, cold late winter, by geography', () => {
    const august = dayNumber('2023-08-28');
    const february = dayNumber('2023-02-26');
    expect(seasonalSeaTemperature('Faroe Islands', august)).toBeCloseTo(10.5, 1);
    expect(seasonalSeaTemperature('Faroe Islands', february)).toBeCloseTo(8.5, 1);
    expect(seasonalSeaTemperature('Scotland', august)).toBeCloseTo(13, 1);
    expect(seasonalSeaTemperature('Scotland', february)).toBeCloseTo(7, 1);
  });

  it('holds hatchery setpoints closely and is reproducible', () => {
    const a = new TemperatureModel('Scotland', new Rng('t', 0, 'temperature'));
    const b = new TemperatureModel('Scotland', new Rng('t', 0, 'temperature'));
    const start = dayNumber('2023-01-01');
    for (let d = 0; d < 90; d++) {
      const value = a.next(start + d, 2, false);
      expect(value).toBe(b.next(start + d, 2, false));
      expect(Math.abs(value - 6.4)).toBeLessThan(1);
    }
  });
});
