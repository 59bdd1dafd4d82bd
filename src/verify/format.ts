/**
 * Number formatting for messages. Locale-independent (fixed 'en-US' grouping) so a failure reads
 * the same on every machine and snapshot-style assertions on messages stay stable.
 */
import type { Range, Unit } from './types.js';

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * A percentage with one decimal, widened (up to 6) when rounding would make a value look like a
 * bound it is not: 1 bad row in 30 M must not print as "100.0 %".
 */
function percent(fraction: number): string {
  const pct = fraction * 100;
  let digits = 1;
  while (digits < 6 && pct !== 100 && pct !== 0 && ['100', '0'].includes(String(Number(pct.toFixed(digits))))) {
    digits += 1;
  }
  return pct.toFixed(digits);
}

function number(value: number, unit: Unit): string {
  switch (unit) {
    case 'fraction':
      return percent(value);
    case 'ratio':
    case 'kg':
      return value.toFixed(2);
    case 'fish':
    case 'rows':
    case 'pairs':
    case 'stages':
      return grouped.format(value);
  }
}

function suffix(unit: Unit): string {
  return unit === 'fraction' ? ' %' : unit === 'kg' ? ' kg' : '';
}

/** `76.2 %`, `5.52 kg`, `1.66`, `2,903,850`; `n/a` for a value that could not be computed. */
export function formatValue(value: number | null, unit: Unit): string {
  return value === null ? 'n/a' : `${number(value, unit)}${suffix(unit)}`;
}

/** `83.0-87.0 %`, `4.50-6.50 kg`, `2,800,000-3,200,000`; an exact range prints as one value. */
export function formatRange(range: Range, unit: Unit): string {
  if (range.min === range.max) return formatValue(range.min, unit);
  return `${number(range.min, unit)}-${number(range.max, unit)}${suffix(unit)}`;
}

/** `2,903,850`: a count in prose. */
export function formatCount(count: number): string {
  return grouped.format(count);
}

/** `3 rows`, `1 row`, `2 batches`: counts in prose. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${grouped.format(count)} ${count === 1 ? noun : nouns}`;
}
