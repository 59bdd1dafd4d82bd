/**
 * The dashboard's "today" views, as an app over AquaMind's tables would compute them from its own
 * date: the last 7 days day by day, and the alerts a farm manager acts on. The thresholds are the
 * app's own (AquaMind's parameter set gives the sensors' safe ranges).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from 'aquaseed';

/** Adult female L. salmonis per fish at which a ring needs treatment. */
export const LICE_LIMIT = 2;
export const OXYGEN_MIN_PERCENT = 80;
export const TEMPERATURE_MAX_C = { tank: 16, ring: 18 } as const;
/** Share of a container's fish dying in one day that raises an alert. */
export const MORTALITY_ALERT_SHARE = 0.01;
export const REORDER_SHARE = 0.2;

export interface DaySummary {
  date: string;
  readings: number;
  meanTemperatureC: number | null;
  lowestOxygenPercent: number | null;
  deaths: number;
  feedKg: number;
}

export type AlertKind = 'lice' | 'oxygen' | 'temperature' | 'mortality' | 'disease' | 'overdue' | 'feed';

export interface Alert {
  kind: AlertKind;
  date: string;
  batch: string;
  where: string;
  text: string;
}

/** `today` and the six days before it, oldest first, each with what the farm recorded that day. */
export async function lastSevenDays(db: Kysely<Database>, today: string): Promise<DaySummary[]> {
  const { rows } = await sql<{ date: string; readings: number; temperature: number | null; oxygen: number | null; deaths: number; feed: number }>`
    WITH days AS (
      SELECT d::date AS date FROM generate_series(CAST(${today} AS date) - 6, CAST(${today} AS date), interval '1 day') d
    ),
    readings AS (
      SELECT (r.reading_time AT TIME ZONE 'UTC')::date AS date, count(*)::int AS n,
             avg(r.value) FILTER (WHERE p.name = 'Temperature')::float8 AS temperature,
             min(r.value) FILTER (WHERE p.name = 'Dissolved Oxygen')::float8 AS oxygen
      FROM environmental_environmentalreading r JOIN environmental_environmentalparameter p ON p.id = r.parameter_id
      WHERE r.reading_time >= CAST(${today} AS date) - 6 AND r.reading_time < CAST(${today} AS date) + 1
      GROUP BY 1
    ),
    deaths AS (
      SELECT event_date AS date, sum(count)::int AS n FROM batch_mortalityevent
      WHERE event_date BETWEEN CAST(${today} AS date) - 6 AND CAST(${today} AS date) GROUP BY 1
    ),
    feed AS (
      SELECT feeding_date AS date, sum(amount_kg)::float8 AS kg FROM inventory_feedingevent
      WHERE feeding_date BETWEEN CAST(${today} AS date) - 6 AND CAST(${today} AS date) GROUP BY 1
    )
    SELECT to_char(days.date, 'YYYY-MM-DD') AS date, coalesce(r.n, 0) AS readings, r.temperature, r.oxygen,
           coalesce(m.n, 0) AS deaths, coalesce(f.kg, 0) AS feed
    FROM days LEFT JOIN readings r USING (date) LEFT JOIN deaths m USING (date) LEFT JOIN feed f USING (date)
    ORDER BY days.date`.execute(db);
  return rows.map((row) => ({
    date: row.date,
    readings: row.readings,
    meanTemperatureC: row.temperature,
    lowestOxygenPercent: row.oxygen,
    deaths: row.deaths,
    feedKg: Math.round(row.feed * 10) / 10,
  }));
}

/** What needs attention as of `today`: the last week's sensor and mortality alarms, recent lice and disease, overdue work, low feed. */
export async function alerts(db: Kysely<Database>, today: string): Promise<Alert[]> {
  const run = async (query: ReturnType<typeof sql<Alert>>) => (await query.execute(db)).rows;
  const lists = await Promise.all([
    run(sql<Alert>`
      WITH counts AS (
        SELECT l.batch_id, l.container_id, l.count_date, sum(l.count_value)::float8 / max(l.fish_sampled) AS per_fish
        FROM health_licecount l JOIN health_licetype t ON t.id = l.lice_type_id
        WHERE t.species = 'Lepeophtheirus salmonis' AND t.gender = 'female' AND t.development_stage = 'adult'
          AND l.count_date >= CAST(${today} AS date) - 13 AND l.fish_sampled > 0
        GROUP BY 1, 2, 3
      )
      SELECT 'lice' AS kind, to_char(k.count_date AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date, b.batch_number AS batch, c.name AS "where",
             to_char(k.per_fish, 'FM990.00') || ' adult female lice per fish: ' ||
             CASE WHEN EXISTS (SELECT 1 FROM health_treatment x WHERE x.container_id = k.container_id AND x.treatment_type = 'physical' AND x.treatment_date >= k.count_date)
                  THEN 'treated' ELSE 'needs treatment' END AS text
      FROM counts k JOIN batch_batch b ON b.id = k.batch_id JOIN infrastructure_container c ON c.id = k.container_id
      WHERE k.per_fish > ${LICE_LIMIT}::float8`),
    run(sql<Alert>`
      SELECT 'oxygen' AS kind, to_char((r.reading_time AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS date, b.batch_number AS batch, c.name AS "where",
             'oxygen down to ' || to_char(min(r.value), 'FM990.0') || ' % (' || count(*) || ' readings below ' || ${String(OXYGEN_MIN_PERCENT)}::text || ' %)' AS text
      FROM environmental_environmentalreading r JOIN environmental_environmentalparameter p ON p.id = r.parameter_id AND p.name = 'Dissolved Oxygen'
      JOIN batch_batch b ON b.id = r.batch_id JOIN infrastructure_container c ON c.id = r.container_id
      WHERE r.value < ${OXYGEN_MIN_PERCENT}::float8 AND r.reading_time >= CAST(${today} AS date) - 6
      GROUP BY 2, 3, 4`),
    run(sql<Alert>`
      SELECT 'temperature' AS kind, to_char((r.reading_time AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS date, b.batch_number AS batch, c.name AS "where",
             'water up to ' || to_char(max(r.value), 'FM990.0') || ' °C' AS text
      FROM environmental_environmentalreading r JOIN environmental_environmentalparameter p ON p.id = r.parameter_id AND p.name = 'Temperature'
      JOIN batch_batch b ON b.id = r.batch_id JOIN infrastructure_container c ON c.id = r.container_id
      WHERE r.reading_time >= CAST(${today} AS date) - 6
        AND r.value > CASE WHEN c.area_id IS NULL THEN ${TEMPERATURE_MAX_C.tank}::float8 ELSE ${TEMPERATURE_MAX_C.ring}::float8 END
      GROUP BY 2, 3, 4`),
    run(sql<Alert>`
      SELECT 'mortality' AS kind, to_char(s.date, 'YYYY-MM-DD') AS date, b.batch_number AS batch, c.name AS "where",
             s.mortality_count || ' fish died (' || to_char(100.0 * s.mortality_count / (s.population + s.mortality_count), 'FM990.0') || ' %)' AS text
      FROM batch_actualdailyassignmentstate s JOIN batch_batch b ON b.id = s.batch_id JOIN infrastructure_container c ON c.id = s.container_id
      WHERE s.date >= CAST(${today} AS date) - 6 AND s.mortality_count >= ${MORTALITY_ALERT_SHARE}::float8 * (s.population + s.mortality_count)`),
    run(sql<Alert>`
      SELECT 'disease' AS kind, to_char(j.entry_date AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date, b.batch_number AS batch, coalesce(c.name, '') AS "where", j.description AS text
      FROM health_journalentry j JOIN batch_batch b ON b.id = j.batch_id LEFT JOIN infrastructure_container c ON c.id = j.container_id
      WHERE j.category = 'diagnosis' AND j.severity = 'high' AND NOT j.resolution_status AND j.entry_date >= CAST(${today} AS date) - 13`),
    run(sql<Alert>`
      SELECT 'overdue' AS kind, to_char(p.due_date, 'YYYY-MM-DD') AS date, b.batch_number AS batch, '' AS "where",
             p.activity_type || ' overdue by ' || (CAST(${today} AS date) - p.due_date) || ' days' AS text
      FROM planning_plannedactivity p JOIN batch_batch b ON b.id = p.batch_id
      WHERE p.status = 'PENDING' AND p.due_date < CAST(${today} AS date) AND b.status = 'ACTIVE'`),
    run(sql<Alert>`
      SELECT 'feed' AS kind, ${today} AS date, b.batch_number AS batch, fc.name AS "where",
             f.name || ' at ' || to_char(100 * sum(s.quantity_kg) / fc.capacity_kg, 'FM990.0') || ' % of capacity' AS text
      FROM inventory_feedcontainerstock s
      JOIN inventory_feedpurchase pu ON pu.id = s.feed_purchase_id
      JOIN inventory_feed f ON f.id = pu.feed_id
      JOIN infrastructure_feedcontainer fc ON fc.id = s.feed_container_id
      JOIN batch_batch b ON pu.batch_number LIKE 'AUTO-' || b.batch_number || '-%'
      WHERE b.status = 'ACTIVE'
      GROUP BY b.batch_number, fc.name, fc.capacity_kg, f.name
      HAVING sum(s.quantity_kg) < ${REORDER_SHARE}::float8 * fc.capacity_kg`),
  ]);
  return lists.flat().sort((a, b) => (a.date === b.date ? a.kind.localeCompare(b.kind) : a.date < b.date ? 1 : -1));
}
