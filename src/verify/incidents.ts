/**
 * What the farm's rows show of each incident kind, as an app would see it: lice counts above the
 * treatment threshold, oxygen or temperature readings out of the sensor's safe range, a day that
 * killed 1 % or more of a container's fish, a diagnosis with a poorly scoring health sample, a
 * harvest still pending after its due day, a batch's feed below the re-order level. These read the
 * data, not the schedule, so they hold for incidents an app or a test wrote itself and fail when a
 * test deletes the rows. `toHaveIncident` (fixtures/matchers.ts) judges with them.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema/tables/index.js';
import { readMarkerIn } from '../db/marker.js';
import { INCIDENT_KINDS, type Incident, type IncidentKind } from '../schedule/incident-types.js';
import { LICE_TREATMENT_THRESHOLD, REORDER_BELOW_SHARE, SENSOR_SAFE_RANGE } from '../core/tuning.js';
import { AquaseedError } from '../core/errors.js';
import { MORTALITY_SPIKE_DESCRIPTION } from '../engine/incidents/mortality-spike.js';
import { formatCount } from './format.js';
import { targetAsOf, withFarmDb, type FarmTarget } from './target.js';

/** Share of a container's fish dying on one day that counts as a mortality spike (routine days stay below 0.2 %). */
export const MORTALITY_SPIKE_SHARE = 0.01;
/** Mean fish score (0-3) of a health sample that counts as diseased (healthy batches average about 0.5). */
export const DISEASED_MEAN_SCORE = 1.5;

/** One sighting of an incident in the data. */
export interface IncidentEvidence {
  kind: IncidentKind;
  batch: string;
  /** The container (or feed container) it shows in, if it is one container's. */
  container: string | null;
  /** YYYY-MM-DD. */
  day: string;
  /** The figure that makes it an incident: lice per fish, % oxygen, °C, share dead, mean score, days overdue, % of capacity. */
  value: number;
  /** The figure in words: "3.1 adult female lice per fish (threshold 2), treated 2025-11-20". */
  detail: string;
}

/** Which sightings count: all of these that are given must match. */
export interface IncidentQuery {
  /** Batch number, or a ladder rung label (`UAT-480` matches FAR-UAT-480). */
  batch?: string;
  /** Container name or its end (`Ring-07`, `C03`). */
  container?: string;
  /** YYYY-MM-DD, the day it shows. */
  day?: string;
  /** lice-outbreak only: whether a bath treatment followed. */
  treated?: boolean;
}

interface Row {
  batch: string;
  container: string | null;
  day: string;
  value: number;
  extra: string | null;
}

export function assertIncidentKind(kind: unknown, what: string): asserts kind is IncidentKind {
  if (typeof kind === 'string' && (INCIDENT_KINDS as readonly string[]).includes(kind)) return;
  throw new AquaseedError(
    'AQUASEED_INVALID_OPTION',
    `${what}: ${JSON.stringify(kind)} is not an incident kind`,
    `pass one of ${INCIDENT_KINDS.join(', ')}`,
  );
}

/** Every sighting of `kind` in the farm that matches `query`, by batch, day and container. */
export async function incidentEvidence(target: FarmTarget, kind: IncidentKind, query: IncidentQuery = {}): Promise<IncidentEvidence[]> {
  assertIncidentKind(kind, 'incidentEvidence');
  const asOf = targetAsOf(target);
  const rows = await withFarmDb(target, async (db) => QUERIES[kind](db, asOf ?? (await seededAsOf(db))));
  return rows
    .map((row) => ({ kind, batch: row.batch, container: row.container, day: row.day, value: row.value, detail: describe(kind, row) }))
    .filter((e) => matchesQuery(e, query))
    .sort((a, b) => (a.batch + a.day + (a.container ?? '') < b.batch + b.day + (b.container ?? '') ? -1 : 1));
}

/** What a kind's sightings are, in words, for messages ("no lice count above 2 adult female lice per fish"). */
export const INCIDENT_SIGN: Readonly<Record<IncidentKind, string>> = {
  'lice-outbreak': `lice count above ${LICE_TREATMENT_THRESHOLD} adult female lice per fish`,
  'oxygen-drop': `dissolved oxygen reading below ${SENSOR_SAFE_RANGE.oxygenPercent.min} %`,
  'temperature-spike': `temperature reading above the safe ${SENSOR_SAFE_RANGE.temperatureC.freshwater.max} °C (tank) or ${SENSOR_SAFE_RANGE.temperatureC.sea.max} °C (ring)`,
  'mortality-spike': `day on which ${MORTALITY_SPIKE_SHARE * 100} % or more of a container's fish died`,
  disease: `high-severity diagnosis with a health sample scoring ${DISEASED_MEAN_SCORE} or more on average`,
  'harvest-overdue': 'PENDING planned harvest of an ACTIVE batch due before asOf',
  'feed-shortage': `feed of a batch below the re-order level (${REORDER_BELOW_SHARE * 100} % of its feed container) on asOf, nor part-loads bridging a shortage`,
};

export function matchesQuery(e: IncidentEvidence, query: IncidentQuery): boolean {
  if (query.batch !== undefined && e.batch !== query.batch && !e.batch.endsWith(`-${query.batch}`)) return false;
  if (query.container !== undefined && e.container !== query.container && !(e.container ?? '').endsWith(`-${query.container}`)) return false;
  if (query.day !== undefined && e.day !== query.day) return false;
  if (query.treated !== undefined && e.kind === 'lice-outbreak' && (e.detail.includes(', treated ') !== query.treated)) return false;
  return true;
}

function describe(kind: IncidentKind, row: Row): string {
  const v = row.value;
  switch (kind) {
    case 'lice-outbreak':
      return `${v.toFixed(2)} adult female lice per fish (threshold ${LICE_TREATMENT_THRESHOLD})${row.extra ? `, treated ${row.extra}` : ', untreated'}`;
    case 'oxygen-drop':
      return `dissolved oxygen down to ${v.toFixed(1)} % (safe ${SENSOR_SAFE_RANGE.oxygenPercent.min}-${SENSOR_SAFE_RANGE.oxygenPercent.max} %), ${row.extra}`;
    case 'temperature-spike':
      return `water up to ${v.toFixed(1)} °C (${row.extra})`;
    case 'mortality-spike':
      return `${(v * 100).toFixed(1)} % of the fish died (${row.extra})`;
    case 'disease':
      return `diagnosis "${row.extra}", health sample mean score ${v.toFixed(2)} of 3`;
    case 'harvest-overdue':
      return `planned harvest due ${row.day} still pending, ${v} day${v === 1 ? '' : 's'} overdue`;
    case 'feed-shortage':
      return `${row.extra}: stock ${(v * 100).toFixed(1)} % of capacity (re-order level ${REORDER_BELOW_SHARE * 100} %)`;
  }
}

const ADULT_FEMALE_SALMONIS = sql`
  SELECT id FROM health_licetype WHERE species = 'Lepeophtheirus salmonis' AND gender = 'female' AND development_stage = 'adult'`;

const QUERIES: Record<IncidentKind, (db: Kysely<Database>, asOf: string | null) => Promise<Row[]>> = {
  'lice-outbreak': async (db) =>
    (
      await sql<Row>`
        WITH sessions AS (
          SELECT l.batch_id, l.container_id, l.count_date,
                 sum(l.count_value)::float8 / max(l.fish_sampled) AS per_fish
          FROM health_licecount l
          WHERE l.lice_type_id IN (${ADULT_FEMALE_SALMONIS}) AND l.fish_sampled > 0
          GROUP BY l.batch_id, l.container_id, l.count_date
        )
        SELECT b.batch_number AS batch, c.name AS container, to_char((s.count_date AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day,
               s.per_fish AS value,
               (SELECT to_char(min((t.treatment_date AT TIME ZONE 'UTC')::date), 'YYYY-MM-DD') FROM health_treatment t
                 WHERE t.container_id = s.container_id AND t.batch_id = s.batch_id AND t.treatment_type = 'physical'
                   AND t.treatment_date >= s.count_date - interval '1 hour' AND t.treatment_date < s.count_date + interval '7 days') AS extra
        FROM sessions s JOIN batch_batch b ON b.id = s.batch_id JOIN infrastructure_container c ON c.id = s.container_id
        WHERE s.per_fish > ${LICE_TREATMENT_THRESHOLD}::float8`.execute(db)
    ).rows,
  'oxygen-drop': async (db) =>
    (
      await sql<Row>`
        SELECT b.batch_number AS batch, c.name AS container, to_char((r.reading_time AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day,
               min(r.value)::float8 AS value,
               count(*) || ' readings below ' || ${String(SENSOR_SAFE_RANGE.oxygenPercent.min)}::text || ' % from '
                 || to_char(min(r.reading_time) AT TIME ZONE 'UTC', 'HH24:MI') || ' to ' || to_char(max(r.reading_time) AT TIME ZONE 'UTC', 'HH24:MI') AS extra
        FROM environmental_environmentalreading r
        JOIN environmental_environmentalparameter p ON p.id = r.parameter_id AND p.name = 'Dissolved Oxygen'
        JOIN batch_batch b ON b.id = r.batch_id JOIN infrastructure_container c ON c.id = r.container_id
        WHERE r.value < ${SENSOR_SAFE_RANGE.oxygenPercent.min}::float8
        GROUP BY 1, 2, 3`.execute(db)
    ).rows,
  'temperature-spike': async (db) =>
    (
      await sql<Row>`
        SELECT b.batch_number AS batch, c.name AS container, to_char((r.reading_time AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day,
               max(r.value)::float8 AS value,
               count(*) || ' readings above the safe ' || (CASE WHEN c.area_id IS NOT NULL THEN ${SENSOR_SAFE_RANGE.temperatureC.sea.max}::float8 ELSE ${SENSOR_SAFE_RANGE.temperatureC.freshwater.max}::float8 END)::text
                 || ' °C from ' || to_char(min(r.reading_time) AT TIME ZONE 'UTC', 'HH24:MI') || ' to ' || to_char(max(r.reading_time) AT TIME ZONE 'UTC', 'HH24:MI') AS extra
        FROM environmental_environmentalreading r
        JOIN environmental_environmentalparameter p ON p.id = r.parameter_id AND p.name = 'Temperature'
        JOIN batch_batch b ON b.id = r.batch_id JOIN infrastructure_container c ON c.id = r.container_id
        WHERE r.value > CASE WHEN c.area_id IS NOT NULL THEN ${SENSOR_SAFE_RANGE.temperatureC.sea.max}::float8 ELSE ${SENSOR_SAFE_RANGE.temperatureC.freshwater.max}::float8 END
        GROUP BY 1, 2, 3, c.area_id`.execute(db)
    ).rows,
  'mortality-spike': async (db) =>
    (
      await sql<Row>`
        SELECT b.batch_number AS batch, c.name AS container, to_char(s.date, 'YYYY-MM-DD') AS day,
               (s.mortality_count::float8 / (s.population + s.mortality_count)) AS value,
               s.mortality_count || ' of ' || (s.population + s.mortality_count) || ' fish; causes '
                 || (SELECT string_agg(DISTINCT m.cause, ', ') FROM batch_mortalityevent m WHERE m.assignment_id = s.assignment_id AND m.event_date = s.date) AS extra
        FROM batch_actualdailyassignmentstate s
        JOIN batch_batch b ON b.id = s.batch_id JOIN infrastructure_container c ON c.id = s.container_id
        WHERE s.population + s.mortality_count > 0 AND s.mortality_count >= ${MORTALITY_SPIKE_SHARE}::float8 * (s.population + s.mortality_count)`.execute(db)
    ).rows,
  disease: async (db) =>
    (
      await sql<Row>`
        WITH samples AS (
          SELECT e.id, e.assignment_id, e.sampling_date, avg(sc.score)::float8 AS mean_score
          FROM health_healthsamplingevent e
          JOIN health_individualfishobservation o ON o.sampling_event_id = e.id
          JOIN health_fishparameterscore sc ON sc.individual_fish_observation_id = o.id
          GROUP BY e.id, e.assignment_id, e.sampling_date
        )
        SELECT b.batch_number AS batch, c.name AS container, to_char(s.sampling_date, 'YYYY-MM-DD') AS day, s.mean_score AS value,
               (SELECT j.description FROM health_journalentry j
                 WHERE j.batch_id = a.batch_id AND j.container_id = a.container_id AND j.category = 'diagnosis' AND j.severity = 'high'
                   AND (j.entry_date AT TIME ZONE 'UTC')::date = s.sampling_date ORDER BY j.id LIMIT 1) AS extra
        FROM samples s
        JOIN batch_batchcontainerassignment a ON a.id = s.assignment_id
        JOIN batch_batch b ON b.id = a.batch_id JOIN infrastructure_container c ON c.id = a.container_id
        WHERE s.mean_score >= ${DISEASED_MEAN_SCORE}::float8`.execute(db)
    ).rows.filter((row) => row.extra !== null),
  'harvest-overdue': async (db, asOf) =>
    asOf === null
      ? []
      : (
          await sql<Row>`
            SELECT b.batch_number AS batch, NULL AS container, to_char(p.due_date, 'YYYY-MM-DD') AS day,
                   (CAST(${asOf} AS date) - p.due_date)::float8 AS value, NULL AS extra
            FROM planning_plannedactivity p JOIN batch_batch b ON b.id = p.batch_id
            WHERE p.activity_type = 'HARVEST' AND p.status = 'PENDING' AND b.status = 'ACTIVE' AND p.due_date < CAST(${asOf} AS date)`.execute(db)
        ).rows,
  'feed-shortage': async (db, asOf) =>
    (
      await sql<Row>`
        WITH lots AS (
          SELECT b.id AS batch_id, b.batch_number, b.status, s.feed_container_id, p.feed_id,
                 sum(s.quantity_kg)::float8 AS kg,
                 min(p.purchase_date) FILTER (WHERE p.notes LIKE 'Part-load for %') AS first_part_load
          FROM inventory_feedcontainerstock s
          JOIN inventory_feedpurchase p ON p.id = s.feed_purchase_id
          JOIN batch_batch b ON substring(p.batch_number from '^AUTO-(.*)-[0-9]+$') = b.batch_number
          GROUP BY 1, 2, 3, 4, 5
        )
        SELECT l.batch_number AS batch, fc.name AS container,
               to_char(coalesce(l.first_part_load, CAST(${asOf} AS date)), 'YYYY-MM-DD') AS day,
               l.kg / fc.capacity_kg::float8 AS value, f.name AS extra
        FROM lots l
        JOIN infrastructure_feedcontainer fc ON fc.id = l.feed_container_id
        JOIN inventory_feed f ON f.id = l.feed_id
        WHERE fc.capacity_kg > 0
          AND (l.first_part_load IS NOT NULL OR (l.status = 'ACTIVE' AND l.kg < ${REORDER_BELOW_SHARE}::float8 * fc.capacity_kg))`.execute(db)
    ).rows.filter((row) => row.day !== null),
};

/** The seeded schedule's asOf (aquaseed's marker table), if any. */
async function seededAsOf(db: Kysely<Database>): Promise<string | null> {
  return (await storedSchedule(db))?.asOf ?? null;
}

/** The schedule aquaseed stored with the farm, or null for a farm it did not seed. */
export async function storedSchedule(db: Kysely<Database>): Promise<{ asOf: string; incidents?: Incident[] } | null> {
  return (await readMarkerIn(db))?.schedule ?? null;
}

/** Fish a batch lost to its mortality-spike incidents, which survival, FCR and population at day add back. */
export interface IncidentLoss {
  fish: number;
  kg: number;
  /** Per day (YYYY-MM-DD) of a spike, the fish lost. */
  byDay: ReadonlyMap<string, number>;
  /** "mortality-spike 2024-04-06 (299,760 fish)" */
  label: string;
}

/**
 * The losses of the batches the stored schedule gives a mortality spike: its mortality events
 * (recognised by their description) are the incident's, the rest are routine. Empty for a farm
 * without a stored schedule or without spikes.
 */
export async function incidentLosses(db: Kysely<Database>): Promise<Map<string, IncidentLoss>> {
  const schedule = await storedSchedule(db);
  const spiked = [...new Set((schedule?.incidents ?? []).filter((i) => i.kind === 'mortality-spike').map((i) => i.batch))];
  const out = new Map<string, IncidentLoss>();
  if (spiked.length === 0) return out;
  const { rows } = await sql<{ batch: string; day: string; fish: number; kg: number }>`
    SELECT b.batch_number AS batch, to_char(m.event_date, 'YYYY-MM-DD') AS day, sum(m.count)::float8 AS fish, sum(m.biomass_kg)::float8 AS kg
    FROM batch_mortalityevent m JOIN batch_batch b ON b.id = m.batch_id
    WHERE b.batch_number = ANY(${spiked}) AND m.description LIKE ${`${MORTALITY_SPIKE_DESCRIPTION}:%`}
    GROUP BY 1, 2 ORDER BY 1, 2`.execute(db);
  for (const row of rows) {
    const loss = out.get(row.batch) ?? { fish: 0, kg: 0, byDay: new Map<string, number>(), label: '' };
    (loss.byDay as Map<string, number>).set(row.day, row.fish);
    out.set(row.batch, { ...loss, fish: loss.fish + row.fish, kg: loss.kg + row.kg });
  }
  for (const [batch, loss] of out) {
    const days = [...loss.byDay].map(([day, fish]) => `${day} (${formatCount(fish)} fish)`).join(', ');
    out.set(batch, { ...loss, label: `mortality-spike ${days}` });
  }
  return out;
}

/** The detail line of a check that judged some batches with their incident losses added back. */
export function relaxedDetail(losses: ReadonlyMap<string, IncidentLoss>, judged: readonly string[], what: string): string | undefined {
  const touched = judged.filter((batch) => losses.has(batch));
  if (touched.length === 0) return undefined;
  return `${what} of ${touched.length === 1 ? 'batch' : `${touched.length} batches`} ${touched.join(', ')} judged with the fish of their mortality-spike incidents added back (the incident's deaths are not the farm's routine)`;
}
