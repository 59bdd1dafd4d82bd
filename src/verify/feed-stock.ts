/**
 * Feed stock: no inventory_feedcontainerstock row holds less than 0 kg. AquaMind records feed that
 * stock could not cover as fed anyway; a generator that instead subtracts it drives stock negative,
 * which the app's FIFO costing cannot represent. Stock belongs to feed containers, not batches, so
 * the result names containers in its detail and has no per-batch entries.
 */
import { sql } from 'kysely';
import { formatValue, plural } from './format.js';
import { withFarmDb, type FarmTarget } from './target.js';
import type { CheckResult } from './types.js';

/** How many negative rows are spelled out in the detail. */
const SHOWN_ROWS = 5;

interface Row {
  id: number;
  container: string;
  quantity_kg: number;
  total: number;
}

export async function feedStock(target: FarmTarget): Promise<CheckResult> {
  const { rows } = await withFarmDb(target, (db) =>
    sql<Row>`
      WITH negative AS (
        SELECT s.id, s.quantity_kg, s.feed_container_id
        FROM inventory_feedcontainerstock s
        WHERE s.quantity_kg < 0
      )
      SELECT n.id::float8 AS id, coalesce(fc.name, 'id ' || n.feed_container_id) AS container,
             n.quantity_kg::float8 AS quantity_kg,
             (count(*) OVER ())::float8 AS total
      FROM negative n
      LEFT JOIN infrastructure_feedcontainer fc ON fc.id = n.feed_container_id
      ORDER BY n.quantity_kg, n.id
      LIMIT ${SHOWN_ROWS}`.execute(db),
  );
  const negative = rows[0]?.total ?? 0;
  const result: CheckResult = {
    name: 'feedStock',
    label: 'negative feed stock rows',
    pass: negative === 0,
    value: negative,
    expected: { min: 0, max: 0 },
    unit: 'rows',
    perBatch: [],
    counts: { negativeRows: negative },
  };
  if (negative > 0) {
    const shown = rows.map((row) => `feed container ${row.container}, stock row ${row.id}: ${formatValue(row.quantity_kg, 'kg')}`);
    const more = negative - rows.length;
    result.detail = [...shown, ...(more > 0 ? [`and ${plural(more, 'more row')}`] : [])].join('\n');
  }
  return result;
}
