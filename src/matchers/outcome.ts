/**
 * From a check's result to a runner's matcher outcome: `pass` is the truth about the farm, the
 * message depends only on `pass` and names the call as written (`expect(farm).not.…(args)`).
 */
import { assertFarmTarget, checkRange, failureLines, formatRange, passSummary, type CheckResult, type FarmTarget, type Range, type VerifyReport } from '../verify/index.js';
import type { MatcherCall, MatcherContext, MatcherOutcome } from './types.js';

/** The pure core: a check result and the call that produced it → the runner's outcome. */
export function checkOutcome(result: CheckResult, call: MatcherCall, isNot = false): MatcherOutcome {
  // A check with nothing to judge has not shown the farm good: fail, and say why.
  const pass = result.pass && result.skipped === undefined;
  return {
    pass,
    name: call.matcher,
    message: () => {
      const body = pass
        ? [`expected the farm to fail the ${result.label} check (expected ${formatRange(result.expected, result.unit)}), but it passed: ${passSummary(result)}`]
        : failureLines(result);
      return [hint(call, isNot), '', ...body].join('\n');
    },
  };
}

/** The same for a whole verification report (toPassAllChecks). */
export function reportOutcome(report: VerifyReport, call: MatcherCall, isNot = false): MatcherOutcome {
  const failed = report.checks.filter((check) => !check.pass);
  return {
    pass: report.pass,
    name: call.matcher,
    message: () => {
      const body = report.pass
        ? [`expected some check to fail, but all ${report.checks.length} passed: ${report.checks.map((check) => check.name).join(', ')}`]
        : failed.flatMap((check) => [`${check.label}:`, ...failureLines(check).map((line) => `  ${line}`)]);
      return [hint(call, isNot), '', ...body].join('\n');
    },
  };
}

export function isNot(context: MatcherContext | void): boolean {
  return context ? context.isNot === true : false;
}

export function target(received: unknown, call: MatcherCall): FarmTarget {
  assertFarmTarget(received, `expect(…).${call.matcher}()`);
  return received;
}

/** Rejects a reversed or non-numeric range before any query runs, naming the call. */
export function numericRange(call: MatcherCall, min: number, max: number): Range {
  return checkRange({ min, max }, `${call.matcher}(${renderArgs(call.args)})`);
}

/** `expect(farm).not.toHaveSurvivalWithin(0.83, 0.87)` */
export function hint(call: MatcherCall, negated: boolean): string {
  return `expect(farm)${negated ? '.not' : ''}.${call.matcher}(${renderArgs(call.args)})`;
}

function renderArgs(args: readonly unknown[]): string {
  return args.map(renderArg).join(', ');
}

function renderArg(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(renderArg).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${k}: ${renderArg(v)}`).join(', ')} }`;
  }
  return String(value);
}
