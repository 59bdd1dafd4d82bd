import type { SeedSummary } from '../seed/farm.js';
import { redactUrl } from '../provision/external.js';

const number = new Intl.NumberFormat('en-US');
const seconds = (s: number): string => `${s.toFixed(s < 10 ? 2 : 1)} s`;

/**
 * The human summary `aquaseed seed` prints: what was seeded, where, how long each phase took, the
 * rows per table and the URL (`up` leaves out the tables unless --verbose, and prints the URL first).
 */
export function formatSeedSummary(summary: SeedSummary, url: string, elapsed: number, show: { tables?: boolean; url?: boolean } = {}): string {
  const counts = Object.entries(summary.rowCounts).filter(([, n]) => n > 0).sort(([, a], [, b]) => b - a);
  const width = Math.max(...counts.map(([name]) => name.length));
  const t = summary.timings;
  const lines = [
    summary.reused
      ? `Farm ${summary.preset} is already in database ${summary.database} (same key): nothing to do.`
      : `Seeded ${summary.preset} into database ${summary.database} (${summary.provider}) in ${seconds(elapsed)}.`,
    `  key      ${summary.key}`,
    `  as of    ${summary.asOf.replace('T', ' ').replace('Z', ' UTC')} (nothing is stamped later)`,
    `  rows     ${number.format(summary.totalRows)} in ${counts.length} tables`,
  ];
  if (!summary.reused) {
    lines.push(
      `  phases   server ${seconds(summary.serverSeconds)} · ${summary.restored ? 'restore' : 'generate'}+COPY ${seconds(t.generateLoad)} · keys ${seconds(t.keys)} · ` +
        `FKs+indexes+ANALYZE ${seconds(t.indexes + t.analyze)} · publish ${seconds(t.publish)}`,
      `  speed    ${number.format(Math.round(summary.totalRows / Math.max(t.total, 1e-3)))} rows/s after the server was up`,
    );
  }
  const copy = summary.restoreCopy;
  if (copy) {
    const how = copy.method === 'reflink' ? 'reflink (blocks shared, nothing written)' : 'file copy (every byte read, checked and written)';
    lines.push(`  cache    restored by ${how}: ${number.format(copy.megabytes)} MB in ${seconds(copy.seconds)}`);
  }
  if (show.tables ?? true) {
    lines.push('', 'Rows per table:');
    for (const [name, n] of counts) lines.push(`  ${name.padEnd(width)}  ${number.format(n).padStart(9)}`);
  }
  if (show.url ?? true) lines.push('', `URL: ${redactUrl(url)}`);
  return lines.join('\n');
}

export function summaryJson(summary: SeedSummary, url: string, elapsed: number): string {
  return JSON.stringify({
    preset: summary.preset,
    key: summary.key,
    asOf: summary.asOf,
    provider: summary.provider,
    database: summary.database,
    url,
    reused: summary.reused,
    // How the farm came: the first of concurrent seeds generates, the others restore.
    source: summary.reused ? 'reused' : summary.restored ? 'restored' : 'generated',
    rows: summary.totalRows,
    rowCounts: summary.rowCounts,
    ...(summary.restoreCopy ? { restoreCopy: summary.restoreCopy } : {}),
    seconds: { ...summary.timings, server: summary.serverSeconds, wall: elapsed },
  });
}
