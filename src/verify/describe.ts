/**
 * Check results in words, one place for the matchers of both runners, the CLI and the post-seed
 * gate. Failures lead with a batch and its number ("batch FAR-2023-001: survival 76.2 % is outside
 * 83.0-87.0 %") because that is what the reader has to go and look at.
 */
import { formatRange, formatValue, plural } from './format.js';
import type { BatchValue, CheckResult, VerifyReport } from './types.js';

/** How many failing batches a message lists before summarising the rest. */
const LISTED_BATCHES = 10;

/** "batch FAR-2023-001: survival 76.2 % is outside 83.0-87.0 %", with the batch's note if any. */
export function batchLine(result: CheckResult, entry: BatchValue): string {
  const value = `${result.label} ${formatValue(entry.value, result.unit)}`;
  const verdict = result.expected.min === result.expected.max
    ? `, expected ${formatRange(result.expected, result.unit)}`
    : ` is ${entry.pass ? 'within' : 'outside'} ${formatRange(result.expected, result.unit)}`;
  return `batch ${entry.batchNumber}: ${value}${verdict}${entry.note ? ` (${entry.note})` : ''}`;
}

/** Why a check failed: the worst batch first, then the other failing ones, then the context. */
export function failureLines(result: CheckResult): string[] {
  if (result.missing) return [`${result.label}: data missing: ${result.missing}`];
  if (result.skipped) return [`${result.label}: nothing to judge (${result.skipped})`];
  const range = formatRange(result.expected, result.unit);
  const detail = result.detail ? result.detail.split('\n') : [];
  if (result.perBatch.length === 0) {
    const head = `${result.label} ${formatValue(result.value, result.unit)}, expected ${range}`;
    // One finding reads best inline; a list gets a line per finding.
    if (detail.length <= 1) return [`${head}${detail[0] ? `: ${detail[0]}` : ''}`];
    return [`${head}:`, ...detail.map((line) => `  ${line}`)];
  }
  const failing = result.perBatch.filter((entry) => !entry.pass);
  const worst = failing.find((entry) => entry.batchNumber === result.worst?.batchNumber);
  const ordered = worst ? [worst, ...failing.filter((entry) => entry !== worst)] : failing;
  const lines = ordered.slice(0, LISTED_BATCHES).map((entry) => batchLine(result, entry));
  if (ordered.length > LISTED_BATCHES) lines.push(`… and ${plural(ordered.length - LISTED_BATCHES, 'more batch', 'more batches')}`);
  lines.push(`${failing.length} of ${plural(result.perBatch.length, 'batch', 'batches')} failed; farm-wide ${result.label} ${formatValue(result.value, result.unit)}`);
  lines.push(...detail);
  return lines;
}

/** Why a check passed, for `.not` messages: how many batches, and which one came closest to failing. */
export function passSummary(result: CheckResult): string {
  const range = formatRange(result.expected, result.unit);
  if (result.skipped) return `${result.label}: nothing to judge (${result.skipped})`;
  if (result.perBatch.length === 0) return `${result.label} ${formatValue(result.value, result.unit)}, expected ${range}`;
  const all = `all ${plural(result.perBatch.length, 'batch', 'batches')} ${result.expected.min === result.expected.max ? 'at' : 'within'} ${range}`;
  const worst = result.worst;
  const exact = result.expected.min === result.expected.max;
  return worst && !exact ? `${all}; closest to the edge: batch ${worst.batchNumber} at ${formatValue(worst.value, result.unit)}` : all;
}

/** One line per check, failures expanded below it: the CLI's `verify` output. */
export function formatReport(report: VerifyReport): string {
  const lines: string[] = [];
  for (const check of report.checks) {
    const status = check.missing ? 'MISSING' : check.skipped ? 'SKIP' : check.pass ? 'PASS' : 'FAIL';
    lines.push(`${status}  ${check.label}: ${check.missing ?? check.skipped ?? passOrValue(check)}`);
    if (!check.pass && !check.missing) lines.push(...failureLines(check).map((line) => `      ${line}`));
  }
  const failed = report.checks.filter((check) => !check.pass).length;
  lines.push(failed === 0 ? `all ${report.checks.length} checks passed` : `${failed} of ${report.checks.length} checks failed`);
  return lines.join('\n');
}

function passOrValue(check: CheckResult): string {
  return `${formatValue(check.value, check.unit)} (expected ${formatRange(check.expected, check.unit)})`;
}
