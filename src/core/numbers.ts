/** Rounding to a column's scale (half away from zero is not needed: values are never negative). */

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
