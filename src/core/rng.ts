import seedrandom from 'seedrandom';

/**
 * Deterministic random streams. Every stream is derived from (schedule seed, batch, purpose), so
 * adding a new purpose never shifts the numbers of an existing one, and a batch's numbers do not
 * depend on which worker runs it or in what order. `Math.random` is never used.
 */
export class Rng {
  private readonly next01: () => number;

  constructor(...path: (string | number)[]) {
    this.next01 = seedrandom.alea(path.join('\u241f'));
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.next01();
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.next01();
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next01() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Rng.pick: empty list');
    return items[Math.floor(this.next01() * items.length)] as T;
  }

  /** Index drawn with the given (not necessarily normalised) weights. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next01() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] as number;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** Standard normal by Box-Muller (one value per call keeps streams simple to reason about). */
  normal(mean = 0, sd = 1): number {
    const u1 = 1 - this.next01();
    const u2 = this.next01();
    return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /**
   * Poisson(lambda). Knuth's product method for small lambda; Hörmann's PTRS transformed
   * rejection (exact, O(1)) for lambda >= 10, where daily deaths in a tank of 350,000 fish live.
   */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    if (lambda < 10) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = this.next01();
      while (p > limit) {
        k++;
        p *= this.next01();
      }
      return k;
    }
    const slam = Math.sqrt(lambda);
    const loglam = Math.log(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.next01() - 0.5;
      const v = this.next01();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logFactorial(k)) {
        return k;
      }
    }
  }
}

function logFactorial(k: number): number {
  if (k < 2) return 0;
  if (k < 20) {
    let f = 1;
    for (let i = 2; i <= k; i++) f *= i;
    return Math.log(f);
  }
  // Stirling series; exact enough for the PTRS acceptance test.
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x);
}
