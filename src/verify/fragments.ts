/**
 * SQL shared by several checks, as CTE bodies to embed in `WITH name AS (${fragment})`.
 *
 * Every number leaves PostgreSQL as float8 and every date as text: the checks then return the same
 * JS types whichever Kysely they are given, not only through aquaseed's own pools (whose type
 * parsers turn int8/numeric into numbers); pg's default parser would hand back int8 sums as strings.
 */
import { sql } from 'kysely';

/**
 * Eggs placed per batch (batch_id, eggs): the creation actions' actual egg counts, or, for a
 * workflow without actions, the eggs it received. Cancelled workflows placed nothing.
 */
export const eggsPerBatch = sql`
  SELECT w.batch_id,
         sum(coalesce(
           (SELECT sum(a.egg_count_actual) FROM batch_creationaction a WHERE a.workflow_id = w.id),
           w.total_eggs_received
         ))::float8 AS eggs
  FROM batch_creationworkflow w
  WHERE w.status <> 'CANCELLED'
  GROUP BY w.batch_id`;

/** Harvested fish and live kilograms per batch (batch_id, fish, live_kg), over all harvest lots. */
export const harvestPerBatch = sql`
  SELECT e.batch_id,
         sum(l.unit_count)::float8 AS fish,
         sum(l.live_weight_kg)::float8 AS live_kg
  FROM harvest_harvestevent e
  JOIN harvest_harvestlot l ON l.event_id = e.id
  GROUP BY e.batch_id`;

/** A calendar day of a timestamptz: simulated time is UTC, so the session's TimeZone must not matter. */
export function utcDate(column: string) {
  return sql`(${sql.ref(column)} AT TIME ZONE 'UTC')::date`;
}
