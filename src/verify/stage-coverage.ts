/**
 * Stage coverage: a COMPLETED batch has assignments in every lifecycle stage (orders 1..6,
 * Egg&Alevin to Adult); an ACTIVE one in every stage up to its current one. AquaMind's 550-batch
 * run left 500 batches "COMPLETED" in Smolt or Fry after a crash mid-transition; this catches it.
 */
import { sql } from 'kysely';
import { rangeCheck, type Measured } from './judge.js';
import { withFarmDb, type FarmTarget } from './target.js';
import type { CheckResult } from './types.js';

interface BatchRow {
  batch_number: string;
  status: string;
  current_order: number;
  orders: number[];
}

interface StageRow {
  order: number;
  name: string;
}

export async function stageCoverage(target: FarmTarget): Promise<CheckResult> {
  const { batches, stages } = await withFarmDb(target, async (db) => ({
    batches: (
      await sql<BatchRow>`
        SELECT b.batch_number, b.status, cur."order"::int AS current_order,
               coalesce(array_agg(DISTINCT s."order"::int) FILTER (WHERE s.id IS NOT NULL), '{}') AS orders
        FROM batch_batch b
        JOIN batch_lifecyclestage cur ON cur.id = b.lifecycle_stage_id
        LEFT JOIN batch_batchcontainerassignment a ON a.batch_id = b.id
        LEFT JOIN batch_lifecyclestage s ON s.id = a.lifecycle_stage_id
        WHERE b.status IN ('ACTIVE', 'COMPLETED')
        GROUP BY b.id, b.batch_number, b.status, cur."order"`.execute(db)
    ).rows,
    stages: (
      await sql<StageRow>`
        SELECT DISTINCT ON ("order") "order"::int AS "order", name
        FROM batch_lifecyclestage ORDER BY "order", id`.execute(db)
    ).rows,
  }));
  const lastOrder = stages.reduce((max, stage) => Math.max(max, stage.order), 0);
  const measured: Measured[] = batches.map((batch) => {
    const upTo = batch.status === 'COMPLETED' ? lastOrder : batch.current_order;
    const present = new Set(batch.orders);
    const missing = stages.filter((stage) => stage.order <= upTo && !present.has(stage.order));
    const entry: Measured = { batchNumber: batch.batch_number, value: missing.length };
    if (missing.length > 0) entry.note = `no ${missing.map((stage) => stage.name).join(', ')} assignment (${batch.status})`;
    return entry;
  });
  return rangeCheck({
    name: 'stageCoverage',
    label: 'missing stages',
    unit: 'stages',
    expected: { min: 0, max: 0 },
    measured,
    value: measured.reduce((sum, entry) => sum + (entry.value ?? 0), 0),
    counts: { batches: measured.length, batchesMissingStages: measured.filter((entry) => (entry.value ?? 0) > 0).length },
    emptyReason: 'no ACTIVE or COMPLETED batch to judge',
  });
}
