/**
 * Turns per-batch figures into a CheckResult: which batches pass, which one is worst, whether the
 * check passes. Shared by every check so "worst" and "pass" mean the same thing everywhere.
 */
import { AquaseedError } from '../core/errors.js';
import type { BatchValue, CheckName, CheckResult, Range, Unit } from './types.js';

export interface Measured {
  batchNumber: string;
  value: number | null;
  note?: string;
}

export function within(value: number | null, range: Range): boolean {
  return value !== null && Number.isFinite(value) && value >= range.min && value <= range.max;
}

/**
 * How far outside the range a value lies (positive), or minus its margin to the nearer edge when
 * inside. A value that could not be computed is the worst of all.
 */
function badness(value: number | null, range: Range): number {
  if (value === null || !Number.isFinite(value)) return Number.POSITIVE_INFINITY;
  if (value < range.min) return range.min - value;
  if (value > range.max) return value - range.max;
  return -Math.min(value - range.min, range.max - value);
}

export interface CheckInput {
  name: CheckName;
  label: string;
  unit: Unit;
  expected: Range;
  measured: Measured[];
  value: number | null;
  detail?: string;
  counts?: Record<string, number>;
  /** Why nothing was judged; used only when `measured` is empty. */
  emptyReason: string;
}

export function rangeCheck(input: CheckInput): CheckResult {
  const perBatch: BatchValue[] = [...input.measured]
    .sort((a, b) => (a.batchNumber < b.batchNumber ? -1 : a.batchNumber > b.batchNumber ? 1 : 0))
    .map((m) => ({ batchNumber: m.batchNumber, value: m.value, pass: within(m.value, input.expected), ...(m.note ? { note: m.note } : {}) }));
  let worst: BatchValue | undefined;
  for (const entry of perBatch) {
    // Strictly greater: on ties the first batch by number wins, so the result is deterministic.
    if (!worst || badness(entry.value, input.expected) > badness(worst.value, input.expected)) worst = entry;
  }
  const result: CheckResult = {
    name: input.name,
    label: input.label,
    pass: perBatch.every((entry) => entry.pass),
    value: input.value,
    expected: input.expected,
    unit: input.unit,
    perBatch,
  };
  if (worst) result.worst = { batchNumber: worst.batchNumber, value: worst.value };
  if (input.detail) result.detail = input.detail;
  if (input.counts) result.counts = input.counts;
  if (perBatch.length === 0) result.skipped = input.emptyReason;
  return result;
}

/** Validates a caller's range: finite, ordered. `what` names the option in the error. */
export function checkRange(range: Range, what: string): Range {
  const finite = (n: unknown) => typeof n === 'number' && Number.isFinite(n);
  if (!finite(range.min) || !finite(range.max) || range.min > range.max) {
    throw new AquaseedError(
      'AQUASEED_INVALID_OPTION',
      `${what}: expected a range with min <= max, both finite numbers; got ${range.min}-${range.max}`,
      `pass { min, max } with min <= max`,
    );
  }
  return range;
}

/** numerator ÷ denominator, or null when the denominator is not positive (nothing to divide by). */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}
