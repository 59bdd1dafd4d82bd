/**
 * Linkage of a daily time series to batch_batchcontainerassignment: a row is linked when its
 * assignment exists, belongs to the row's batch (and container, where the row names one) and was
 * in place on the row's date (assignment_date <= date < departure_date, or no departure yet).
 *
 * AquaMind's old generator wrote 62.9 M readings with no assignment at all, and growth analysis
 * silently prorated around the gap; 100 % is the only acceptable figure. One scan of the table,
 * hash-joined to the (small) assignment table and grouped by batch, so it stays one pass over
 * tens of millions of rows.
 */
import { sql, type RawBuilder } from 'kysely';
import { formatCount, plural } from './format.js';
import { rangeCheck, ratio, type Measured } from './judge.js';
import { withFarmDb, type FarmTarget } from './target.js';
import type { CheckName, CheckResult } from './types.js';

export interface LinkageSpec {
  name: Extract<CheckName, 'environmentalLinkage' | 'mortalityLinkage' | 'feedingLinkage'>;
  label: string;
  /** Singular and plural of a row, for messages: reading/readings. */
  noun: [string, string];
  table: string;
  assignmentColumn: string;
  /** The row's container column, or null when the table has none (mortality events). */
  containerColumn: string | null;
  /** The row's calendar date, as SQL over the alias `r`. */
  date: RawBuilder<unknown>;
}

interface Row {
  batch_number: string;
  total: number;
  bad: number;
  missing: number;
  wrong_batch: number;
  wrong_container: number;
  outside: number;
}

const REASONS = [
  ['missing', 'without an existing assignment'],
  ['wrong_batch', "on another batch's assignment"],
  ['wrong_container', "on another container's assignment"],
  ['outside', "outside the assignment's dates"],
] as const;

export async function linkageCheck(target: FarmTarget, spec: LinkageSpec): Promise<CheckResult> {
  const linked = sql.ref(`r.${spec.assignmentColumn}`);
  const wrongContainer = spec.containerColumn
    ? sql`a.container_id IS DISTINCT FROM ${sql.ref(`r.${spec.containerColumn}`)}`
    : sql`false`;
  const inPlace = sql`coalesce(${spec.date} >= a.assignment_date
                      AND (a.departure_date IS NULL OR ${spec.date} < a.departure_date), false)`;
  const { rows } = await withFarmDb(target, (db) =>
    sql<Row>`
      WITH per_batch AS (
        SELECT r.batch_id,
               count(*)::float8 AS total,
               (count(*) FILTER (WHERE a.id IS NULL))::float8 AS missing,
               (count(*) FILTER (WHERE a.id IS NOT NULL AND a.batch_id IS DISTINCT FROM r.batch_id))::float8 AS wrong_batch,
               (count(*) FILTER (WHERE a.id IS NOT NULL AND ${wrongContainer}))::float8 AS wrong_container,
               (count(*) FILTER (WHERE a.id IS NOT NULL AND NOT ${inPlace}))::float8 AS outside,
               (count(*) FILTER (WHERE a.id IS NULL OR a.batch_id IS DISTINCT FROM r.batch_id
                                 OR ${wrongContainer} OR NOT ${inPlace}))::float8 AS bad
        FROM ${sql.table(spec.table)} r
        LEFT JOIN batch_batchcontainerassignment a ON a.id = ${linked}
        GROUP BY r.batch_id
      )
      SELECT coalesce(b.batch_number,
                      CASE WHEN p.batch_id IS NULL THEN '(no batch)' ELSE '(unknown batch id ' || p.batch_id || ')' END)
               AS batch_number,
             p.total, p.bad, p.missing, p.wrong_batch, p.wrong_container, p.outside
      FROM per_batch p
      LEFT JOIN batch_batch b ON b.id = p.batch_id`.execute(db),
  );
  const [one, many] = spec.noun;
  const measured: Measured[] = rows.map((row) => {
    const entry: Measured = { batchNumber: row.batch_number, value: ratio(row.total - row.bad, row.total) };
    if (row.bad > 0) entry.note = `${plural(row.bad, one, many)} of ${formatCount(row.total)} bad: ${reasons(row)}`;
    return entry;
  });
  const sum = (key: keyof Omit<Row, 'batch_number'>) => rows.reduce((total, row) => total + row[key], 0);
  const totals: Row = {
    batch_number: '',
    total: sum('total'),
    bad: sum('bad'),
    missing: sum('missing'),
    wrong_batch: sum('wrong_batch'),
    wrong_container: sum('wrong_container'),
    outside: sum('outside'),
  };
  return rangeCheck({
    name: spec.name,
    label: spec.label,
    unit: 'fraction',
    expected: { min: 1, max: 1 },
    measured,
    value: ratio(totals.total - totals.bad, totals.total),
    ...(totals.bad > 0
      ? { detail: `${plural(totals.bad, one, many)} of ${formatCount(totals.total)} not linked: ${reasons(totals)}` }
      : {}),
    counts: {
      rows: totals.total,
      bad: totals.bad,
      missingAssignment: totals.missing,
      wrongBatch: totals.wrong_batch,
      wrongContainer: totals.wrong_container,
      outsideDates: totals.outside,
    },
    emptyReason: `no ${many} to judge`,
  });
}

/** "2 on another container's assignment, 1 outside the assignment's dates" (a row may have several). */
function reasons(row: Row): string {
  return REASONS.filter(([key]) => row[key] > 0)
    .map(([key, words]) => `${formatCount(row[key])} ${words}`)
    .join(', ');
}
