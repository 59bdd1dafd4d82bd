/**
 * `aquaseed verify` as a table (cli-table3): one row per check with its value, the expected range,
 * the verdict and the worst batch; the reasons of failures follow below the table.
 */
import Table from 'cli-table3';
import { failureLines } from '../verify/describe.js';
import { formatRange, formatValue } from '../verify/format.js';
import type { CheckResult, VerifyReport } from '../verify/types.js';

/** MISSING: the check could not run for want of data (a failure); SKIP: nothing to judge by design. */
export function verdict(check: CheckResult): 'PASS' | 'FAIL' | 'SKIP' | 'MISSING' {
  return check.missing ? 'MISSING' : check.skipped ? 'SKIP' : check.pass ? 'PASS' : 'FAIL';
}

function worstBatch(check: CheckResult): string {
  if (!check.worst) return '';
  return `${check.worst.batchNumber} (${formatValue(check.worst.value, check.unit)})`;
}

export function formatVerifyTable(report: VerifyReport): string {
  // No colours: the output is read in CI logs and compared in tests as plain text.
  const table = new Table({ head: ['check', 'value', 'expected', 'result', 'worst batch'], style: { head: [], border: [], compact: true } });
  for (const check of report.checks) {
    table.push([
      check.label,
      { content: check.skipped || check.missing ? 'n/a' : formatValue(check.value, check.unit), hAlign: 'right' },
      { content: formatRange(check.expected, check.unit), hAlign: 'right' },
      verdict(check),
      worstBatch(check),
    ]);
  }
  const lines = [table.toString()];
  for (const check of report.checks) {
    if (check.missing) lines.push(`MISSING ${check.label}: ${check.missing}`);
    else if (check.skipped) lines.push(`SKIP ${check.label}: nothing to judge (${check.skipped})`);
    else if (!check.pass) lines.push(`FAIL ${check.label}:`, ...failureLines(check).map((line) => `  ${line}`));
  }
  const failed = report.checks.filter((check) => !check.pass);
  const missing = failed.filter((check) => check.missing).length;
  lines.push(
    failed.length === 0
      ? `All ${report.checks.length} checks passed in ${(report.durationMs / 1000).toFixed(2)} s.`
      : `${failed.length} of ${report.checks.length} checks failed${missing ? ` (${missing} for missing data)` : ''}: ${failed.map((check) => check.label).join(', ')}.`,
  );
  return lines.join('\n');
}

/** The JSON form: the report as data, nothing formatted. */
export function verifyJson(database: string, report: VerifyReport): string {
  return JSON.stringify({
    database,
    pass: report.pass,
    durationMs: Math.round(report.durationMs),
    checks: report.checks.map((check) => ({
      name: check.name,
      label: check.label,
      result: verdict(check),
      pass: check.pass,
      value: check.value,
      expected: check.expected,
      unit: check.unit,
      worst: check.worst ?? null,
      ...(check.skipped ? { skipped: check.skipped } : {}),
      ...(check.missing ? { missing: check.missing } : {}),
    })),
  });
}
