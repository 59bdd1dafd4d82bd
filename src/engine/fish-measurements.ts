/**
 * Weighing and measuring a sample of fish, shared by the weekly growth sample and the monthly
 * health sampling. A fish's length follows from its weight and a condition factor drawn for it,
 * so K = 100·W/L³ stays in the range real salmon show (AquaMind's length formula gave lengths
 * unrelated to K, K ≈ 0.03). Aggregates are computed from the values as written (rounded).
 */
import type { StageOrder } from '../core/stages.js';
import { round2 } from '../core/numbers.js';
import type { Rng } from '../core/rng.js';
import { CONDITION_FACTOR, CONDITION_FACTOR_RANGE, CONDITION_FACTOR_SD } from '../core/tuning.js';

/** One sample's fish, in the order drawn, and their aggregates. */
export interface FishMeasurements {
  /** Weights (g) and lengths (cm), rounded to the columns' scale; only the first `n` are this sample's. */
  weights: Float64Array;
  lengths: Float64Array;
  n: number;
  meanWeight: number;
  meanLength: number;
  /** Sample standard deviations (n − 1). */
  sdWeight: number;
  sdLength: number;
  /** Mean of each fish's 100·W/L³. */
  meanK: number;
  minWeight: number;
  maxWeight: number;
  minLength: number;
  maxLength: number;
}

/** Draws samples of up to `capacity` fish, reusing its buffers (the rows are emitted before the next draw). */
export class FishMeasurer {
  private readonly weights: Float64Array;
  private readonly lengths: Float64Array;

  constructor(capacity: number) {
    this.weights = new Float64Array(capacity);
    this.lengths = new Float64Array(capacity);
  }

  /**
   * Measures `n` fish of stage `stageOrder`: for each, `drawWeight()` (rounded by the caller), then
   * a condition factor from `rng`. The draws interleave per fish, so the random stream is the
   * same as drawing each fish whole.
   */
  measure(rng: Rng, n: number, stageOrder: StageOrder, drawWeight: () => number): FishMeasurements {
    const { weights, lengths } = this;
    const kMean = CONDITION_FACTOR[stageOrder];
    let sumW = 0;
    let sumW2 = 0;
    let sumL = 0;
    let sumL2 = 0;
    let sumK = 0;
    let minW = Infinity;
    let maxW = 0;
    let minL = Infinity;
    let maxL = 0;
    for (let i = 0; i < n; i++) {
      const w = drawWeight();
      const k = clamp(rng.normal(kMean, CONDITION_FACTOR_SD), CONDITION_FACTOR_RANGE.min, CONDITION_FACTOR_RANGE.max);
      const l = round2(Math.cbrt((100 * w) / k));
      weights[i] = w;
      lengths[i] = l;
      sumW += w;
      sumW2 += w * w;
      sumL += l;
      sumL2 += l * l;
      sumK += (100 * w) / (l * l * l);
      if (w < minW) minW = w;
      if (w > maxW) maxW = w;
      if (l < minL) minL = l;
      if (l > maxL) maxL = l;
    }
    return {
      weights,
      lengths,
      n,
      meanWeight: sumW / n,
      meanLength: sumL / n,
      sdWeight: sampleSd(sumW, sumW2, n),
      sdLength: sampleSd(sumL, sumL2, n),
      meanK: sumK / n,
      minWeight: minW,
      maxWeight: maxW,
      minLength: minL,
      maxLength: maxL,
    };
  }
}

export function clamp(x: number, min: number, max: number): number {
  return x < min ? min : x > max ? max : x;
}

/** Sample standard deviation (n − 1) from running sums. */
function sampleSd(sum: number, sumSquares: number, n: number): number {
  const variance = (sumSquares - (sum * sum) / n) / (n - 1);
  return variance > 0 ? Math.sqrt(variance) : 0;
}
