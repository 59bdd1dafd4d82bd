/**
 * The matcher core without a database: check results in, outcomes and messages out, and the
 * `.not` contract (pass is the truth, the runner inverts) exercised through Vitest's own expect.
 */
import { describe, expect, it } from 'vitest';
import type { Expect as PlaywrightExpect } from '@playwright/test';
import {
  aquaseedMatchers,
  checkOutcome,
  reportOutcome,
  type AquaseedMatchers,
  type MatcherCall,
} from '../../fixtures/matchers.js';
import { formatRange, formatReport, formatValue, type CheckResult, type VerifyReport } from '../../src/verify/index.js';

// Compile-time: the same object is accepted by Playwright's expect.extend (types only; erased).
const forPlaywright: Parameters<PlaywrightExpect['extend']>[0] = aquaseedMatchers;
void forPlaywright;

const SURVIVAL_CALL: MatcherCall = { matcher: 'toHaveSurvivalWithin', args: [0.83, 0.87] };

function survivalResult(values: Record<string, number | null>): CheckResult {
  const expected = { min: 0.83, max: 0.87 };
  const perBatch = Object.entries(values).map(([batchNumber, value]) => ({
    batchNumber,
    value,
    pass: value !== null && value >= expected.min && value <= expected.max,
  }));
  const failing = perBatch.filter((entry) => !entry.pass);
  const worst = failing[0] ?? perBatch[0];
  return {
    name: 'survival',
    label: 'survival',
    pass: failing.length === 0,
    value: 0.84,
    expected,
    unit: 'fraction',
    perBatch,
    ...(worst ? { worst: { batchNumber: worst.batchNumber, value: worst.value } } : {}),
  };
}

describe('checkOutcome', () => {
  it('fails with a message that names the batch and its value', () => {
    const outcome = checkOutcome(survivalResult({ 'FAR-2023-001': 0.762, 'FAR-2023-002': 0.85 }), SURVIVAL_CALL);
    expect(outcome.pass).toBe(false);
    expect(outcome.name).toBe('toHaveSurvivalWithin');
    const lines = outcome.message().split('\n');
    expect(lines[0]).toBe('expect(farm).toHaveSurvivalWithin(0.83, 0.87)');
    expect(lines[2]).toBe('batch FAR-2023-001: survival 76.2 % is outside 83.0-87.0 %');
    expect(outcome.message()).toContain('1 of 2 batches failed; farm-wide survival 84.0 %');
    expect(outcome.message()).not.toContain('FAR-2023-002');
  });

  it('lists the worst batch first, then the other failures', () => {
    const result = survivalResult({ 'FAR-2023-001': 0.82, 'FAR-2023-002': 0.5, 'FAR-2023-003': 0.9 });
    result.worst = { batchNumber: 'FAR-2023-002', value: 0.5 };
    const lines = checkOutcome(result, SURVIVAL_CALL).message().split('\n');
    expect(lines.slice(2, 5)).toEqual([
      'batch FAR-2023-002: survival 50.0 % is outside 83.0-87.0 %',
      'batch FAR-2023-001: survival 82.0 % is outside 83.0-87.0 %',
      'batch FAR-2023-003: survival 90.0 % is outside 83.0-87.0 %',
    ]);
  });

  it('returns the true pass under .not and explains the unexpected pass', () => {
    const result = survivalResult({ 'FAR-2023-001': 0.834, 'FAR-2023-002': 0.85 });
    result.worst = { batchNumber: 'FAR-2023-001', value: 0.834 };
    const outcome = checkOutcome(result, SURVIVAL_CALL, true);
    expect(outcome.pass).toBe(true); // not inverted: the runner does that
    const message = outcome.message();
    expect(message.split('\n')[0]).toBe('expect(farm).not.toHaveSurvivalWithin(0.83, 0.87)');
    expect(message).toContain('expected the farm to fail the survival check (expected 83.0-87.0 %), but it passed');
    expect(message).toContain('all 2 batches within 83.0-87.0 %; closest to the edge: batch FAR-2023-001 at 83.4 %');
  });

  it('keeps pass false under .not when the check fails', () => {
    const outcome = checkOutcome(survivalResult({ 'FAR-2023-001': 0.7 }), SURVIVAL_CALL, true);
    expect(outcome.pass).toBe(false);
  });

  it('fails a check that had nothing to judge, saying why', () => {
    const result: CheckResult = { ...survivalResult({}), skipped: 'no COMPLETED batch to judge' };
    expect(result.pass).toBe(true);
    const outcome = checkOutcome(result, SURVIVAL_CALL);
    expect(outcome.pass).toBe(false);
    expect(outcome.message()).toContain('survival: nothing to judge (no COMPLETED batch to judge)');
  });

  it('shows a batch note, e.g. the Issue #112 doubling', () => {
    const result: CheckResult = {
      name: 'populationAtDay',
      label: 'population at day 91',
      pass: false,
      value: 5_985_268,
      expected: { min: 2_800_000, max: 3_200_000 },
      unit: 'fish',
      perBatch: [
        { batchNumber: 'SCO-2024-003', value: 5_985_268, pass: false, note: 'doubled: above 5,000,000 fish, the AquaMind Issue #112 symptom' },
      ],
      worst: { batchNumber: 'SCO-2024-003', value: 5_985_268 },
    };
    const message = checkOutcome(result, { matcher: 'toHavePopulationAtDay', args: [91, { min: 2_800_000, max: 3_200_000 }] }).message();
    expect(message.split('\n')[0]).toBe('expect(farm).toHavePopulationAtDay(91, { min: 2800000, max: 3200000 })');
    expect(message).toContain(
      'batch SCO-2024-003: population at day 91 5,985,268 is outside 2,800,000-3,200,000 (doubled: above 5,000,000 fish, the AquaMind Issue #112 symptom)',
    );
  });

  it('words exact expectations (linkage, conflicts) as "expected X"', () => {
    const result: CheckResult = {
      name: 'environmentalLinkage',
      label: 'environmental linkage',
      pass: false,
      value: 0.9999968,
      expected: { min: 1, max: 1 },
      unit: 'fraction',
      perBatch: [
        { batchNumber: 'FAR-2023-001', value: 0.9999968, pass: false, note: "1 reading of 314,460 bad: 1 on another container's assignment" },
      ],
      worst: { batchNumber: 'FAR-2023-001', value: 0.9999968 },
      detail: "1 reading of 314,460 not linked: 1 on another container's assignment",
    };
    const message = checkOutcome(result, { matcher: 'toHaveFullEnvironmentalLinkage', args: [] }).message();
    expect(message).toContain(
      "batch FAR-2023-001: environmental linkage 99.9997 %, expected 100.0 % (1 reading of 314,460 bad: 1 on another container's assignment)",
    );
    expect(message.split('\n')[0]).toBe('expect(farm).toHaveFullEnvironmentalLinkage()');
  });

  it('describes a check without batches (feed stock) from its detail', () => {
    const result: CheckResult = {
      name: 'feedStock',
      label: 'negative feed stock rows',
      pass: false,
      value: 1,
      expected: { min: 0, max: 0 },
      unit: 'rows',
      perBatch: [],
      detail: 'feed container FI-SEA-01-Barge-1, stock row 17: -52.30 kg',
    };
    expect(checkOutcome(result, { matcher: 'toHaveNonNegativeFeedStock', args: [] }).message()).toContain(
      'negative feed stock rows 1, expected 0: feed container FI-SEA-01-Barge-1, stock row 17: -52.30 kg',
    );
    const several = { ...result, value: 7, detail: 'feed container A, stock row 1: -3.00 kg\nfeed container B, stock row 2: -3.00 kg\nand 5 more rows' };
    expect(checkOutcome(several, { matcher: 'toHaveNonNegativeFeedStock', args: [] }).message().split('\n').slice(2)).toEqual([
      'negative feed stock rows 7, expected 0:',
      '  feed container A, stock row 1: -3.00 kg',
      '  feed container B, stock row 2: -3.00 kg',
      '  and 5 more rows',
    ]);
  });

  it('puts each conflicting pair of the detail on its own line after the batches', () => {
    const pairs = [
      'container C01: FAR-2023-001 [2023-01-02, 2023-04-02) overlaps FAR-2023-002 [2023-03-01, open)',
      'container C02: FAR-2023-001 [2023-01-02, 2023-04-02) overlaps FAR-2023-002 [2023-03-01, open)',
    ];
    const result: CheckResult = {
      name: 'containerConflicts',
      label: 'container conflicts',
      pass: false,
      value: 2,
      expected: { min: 0, max: 0 },
      unit: 'pairs',
      perBatch: [
        { batchNumber: 'FAR-2023-001', value: 2, pass: false, note: pairs[0] as string },
        { batchNumber: 'FAR-2023-002', value: 2, pass: false, note: pairs[0] as string },
      ],
      worst: { batchNumber: 'FAR-2023-001', value: 2 },
      detail: pairs.join('\n'),
    };
    expect(checkOutcome(result, { matcher: 'toHaveNoContainerConflicts', args: [] }).message().split('\n').slice(2)).toEqual([
      `batch FAR-2023-001: container conflicts 2, expected 0 (${pairs[0]})`,
      `batch FAR-2023-002: container conflicts 2, expected 0 (${pairs[0]})`,
      '2 of 2 batches failed; farm-wide container conflicts 2',
      ...pairs,
    ]);
  });
});

describe('reportOutcome', () => {
  const failing = survivalResult({ 'FAR-2023-001': 0.7 });
  const passing = survivalResult({ 'FAR-2023-001': 0.85 });
  const report = (checks: CheckResult[]): VerifyReport => ({ pass: checks.every((c) => c.pass), checks, durationMs: 1 });

  it('lists each failing check with its batches', () => {
    const outcome = reportOutcome(report([failing]), { matcher: 'toPassAllChecks', args: [] });
    expect(outcome.pass).toBe(false);
    expect(outcome.message()).toContain('survival:\n  batch FAR-2023-001: survival 70.0 % is outside 83.0-87.0 %');
  });

  it('explains an unexpected pass under .not', () => {
    const outcome = reportOutcome(report([passing]), { matcher: 'toPassAllChecks', args: [] }, true);
    expect(outcome.pass).toBe(true);
    expect(outcome.message()).toContain('expected some check to fail, but all 1 passed: survival');
  });

  it('renders a CLI report line per check', () => {
    expect(formatReport(report([passing, failing])).split('\n')).toEqual([
      'PASS  survival: 84.0 % (expected 83.0-87.0 %)',
      'FAIL  survival: 84.0 % (expected 83.0-87.0 %)',
      '      batch FAR-2023-001: survival 70.0 % is outside 83.0-87.0 %',
      '      1 of 1 batch failed; farm-wide survival 84.0 %',
      '1 of 2 checks failed',
    ]);
  });
});

describe('formatting', () => {
  it('never rounds a near-perfect fraction up to its bound', () => {
    expect(formatValue(1, 'fraction')).toBe('100.0 %');
    expect(formatValue(0.9999999, 'fraction')).toBe('99.99999 %');
    expect(formatValue(0.762, 'fraction')).toBe('76.2 %');
    expect(formatValue(null, 'kg')).toBe('n/a');
    expect(formatRange({ min: 4.5, max: 6.5 }, 'kg')).toBe('4.50-6.50 kg');
    expect(formatRange({ min: 0, max: 0 }, 'pairs')).toBe('0');
  });
});

describe('through Vitest expect.extend', () => {
  // A matcher fed with a prepared result: the runner's .not handling of the real core, no database.
  expect.extend({
    toBeJudgedBy(this: { isNot?: boolean }, received: CheckResult) {
      return checkOutcome(received, SURVIVAL_CALL, this.isNot);
    },
  });
  type Judged = { toBeJudgedBy(): void; not: { toBeJudgedBy(): void } };
  const judged = (result: CheckResult) => expect(result) as unknown as Judged;

  it('passes, fails and inverts like a built-in matcher', () => {
    const good = survivalResult({ 'FAR-2023-001': 0.85 });
    const bad = survivalResult({ 'FAR-2023-001': 0.762 });
    judged(good).toBeJudgedBy();
    judged(bad).not.toBeJudgedBy();
    expect(() => judged(bad).toBeJudgedBy()).toThrow('batch FAR-2023-001: survival 76.2 % is outside 83.0-87.0 %');
    expect(() => judged(good).not.toBeJudgedBy()).toThrow('but it passed');
  });

  it('registers every aquaseed matcher and rejects a received value that is no farm', async () => {
    expect.extend(aquaseedMatchers);
    const farmExpect = expect(42) as unknown as AquaseedMatchers<Promise<void>>;
    await expect(farmExpect.toHaveAllStages()).rejects.toThrow(
      'expect(…).toHaveAllStages() needs a Farm, a Kysely<Database> or a connection URL; got number',
    );
  });

  it('rejects a reversed range and a survival range given in percent before querying', async () => {
    const farmExpect = expect('postgres://nowhere.invalid/farm') as unknown as AquaseedMatchers<Promise<void>>;
    await expect(aquaseedMatchers.toHaveHarvestWeightsWithin.call({}, 'postgres://x/y', 6.5, 4.5)).rejects.toThrow(
      'toHaveHarvestWeightsWithin(6.5, 4.5): expected a range with min <= max',
    );
    await expect(farmExpect.toHaveSurvivalWithin(83, 87)).rejects.toThrow('looks like percentages');
  });
});
