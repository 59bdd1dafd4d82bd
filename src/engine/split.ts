/** Integer splits that never lose or invent a fish. */

/** `total` split into `parts` near-equal integers, the remainder going to the first parts. */
export function splitEvenly(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  const remainder = total - base * parts;
  const out = new Array<number>(parts);
  for (let i = 0; i < parts; i++) out[i] = base + (i < remainder ? 1 : 0);
  return out;
}

/**
 * `total` split in proportion to `weights` by largest remainder: the parts sum to `total` exactly.
 * Ties go to the earlier part, so the split is deterministic.
 */
export function splitByWeights(total: number, weights: readonly number[]): number[] {
  let weightSum = 0;
  for (const w of weights) weightSum += w;
  const out = new Array<number>(weights.length);
  const remainders = new Array<number>(weights.length);
  let given = 0;
  for (let i = 0; i < weights.length; i++) {
    const exact = (total * (weights[i] as number)) / weightSum;
    const floor = Math.floor(exact);
    out[i] = floor;
    remainders[i] = exact - floor;
    given += floor;
  }
  for (let left = total - given; left > 0; left--) {
    let best = 0;
    for (let i = 1; i < remainders.length; i++) if ((remainders[i] as number) > (remainders[best] as number)) best = i;
    out[best] = (out[best] as number) + 1;
    remainders[best] = -1;
  }
  return out;
}
