/**
 * What the HTML farm report shows, read from any seeded database: every figure is one SQL query
 * over AquaMind's tables, sampled weekly (Mondays) where a series runs over time, so a four-year,
 * 146-batch farm stays a few thousand points per chart.
 */
import type pg from 'pg';
import { markerAsOf, readMarker } from '../db/marker.js';
import { connectClient, endQuietly } from '../db/client.js';
import { databaseOf } from '../db/clone.js';

/** A point of a time series: `date` is YYYY-MM-DD. */
export interface DatePoint {
  date: string;
  value: number;
}

export interface Series {
  name: string;
  points: DatePoint[];
}

/** One bar of the occupancy Gantt: a batch in a hall (freshwater) or area (sea) from start to end. */
export interface OccupancyBar {
  location: string;
  batch: string;
  start: string;
  end: string;
}

/** An incident of the seeded schedule (docs/incidents.md), to mark on the charts. */
export interface ReportIncident {
  kind: string;
  batch: string;
  /** YYYY-MM-DD */
  day: string;
  container: string | null;
}

export interface ReportQueries {
  database: string;
  preset: string | null;
  asOf: string | null;
  batches: number;
  containers: number;
  /** Population of each batch over time (sum over its containers). */
  population: Series[];
  /** Average weight (g) of each batch over time (biomass-weighted over its containers). */
  averageWeight: Series[];
  /** Biomass (kg) held in each geography over time. */
  biomassByGeography: Series[];
  /** Share of each geography's holding containers occupied over time (0-1). */
  utilization: Series[];
  occupancy: OccupancyBar[];
  /** The schedule's incidents, in schedule order (none for a farm without). */
  incidents: ReportIncident[];
}

/** The location of a container: its hall (freshwater) or its area (sea), with the geography. */
const LOCATION = `
  infrastructure_container c
  LEFT JOIN infrastructure_hall h ON h.id = c.hall_id
  LEFT JOIN infrastructure_freshwaterstation s ON s.id = h.freshwater_station_id
  LEFT JOIN infrastructure_area a ON a.id = c.area_id
  JOIN infrastructure_geography g ON g.id = coalesce(s.geography_id, a.geography_id)`;

/** Mondays only: weekly samples of the daily series. */
const MONDAY = `extract(isodow FROM d.date) = 1`;

export async function queryReport(url: string): Promise<ReportQueries> {
  const client = await connectClient(url);
  try {
    const rows = async <R extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<R[]> => (await client.query<R>(text, params)).rows;
    const stored = await readMarker(client);
    const marker: { preset: string; as_of: string | null; incidents: { kind: string; batch: string; day: string; container?: string; area?: string }[] | null }[] =
      stored ? [{ preset: stored.preset, as_of: markerAsOf(stored), incidents: stored.schedule.incidents ?? null }] : [];
    const [counts] = await rows<{ batches: number; containers: number }>(
      `SELECT (SELECT count(*) FROM batch_batch)::int AS batches, (SELECT count(*) FROM infrastructure_container)::int AS containers`,
    );
    const batchDaily = await rows<{ name: string; date: string; population: number; weight: number | null }>(`
      SELECT b.batch_number AS name, to_char(d.date, 'YYYY-MM-DD') AS date, sum(d.population)::float8 AS population,
             (sum(d.biomass_kg) * 1000 / nullif(sum(d.population), 0))::float8 AS weight
      FROM batch_actualdailyassignmentstate d JOIN batch_batch b ON b.id = d.batch_id
      WHERE ${MONDAY}
      GROUP BY b.batch_number, d.date ORDER BY b.batch_number, d.date`);
    const geography = await rows<{ name: string; date: string; value: number }>(`
      SELECT g.name, to_char(d.date, 'YYYY-MM-DD') AS date, sum(d.biomass_kg)::float8 AS value
      FROM batch_actualdailyassignmentstate d JOIN ${LOCATION} ON c.id = d.container_id
      WHERE ${MONDAY}
      GROUP BY g.name, d.date ORDER BY g.name, d.date`);
    const utilization = await rows<{ name: string; date: string; value: number }>(`
      WITH holding AS (
        SELECT g.name AS geography, count(*)::float8 AS n FROM ${LOCATION}
        WHERE c.hierarchy_role = 'HOLDING' AND c.active GROUP BY g.name
      ), occupied AS (
        SELECT g.name AS geography, d.date, count(DISTINCT d.container_id)::float8 AS n
        FROM batch_actualdailyassignmentstate d JOIN ${LOCATION} ON c.id = d.container_id
        WHERE ${MONDAY} AND c.hierarchy_role = 'HOLDING'
        GROUP BY g.name, d.date
      )
      SELECT o.geography AS name, to_char(o.date, 'YYYY-MM-DD') AS date, o.n / h.n AS value
      FROM occupied o JOIN holding h USING (geography) ORDER BY o.geography, o.date`);
    // Consecutive stays of a batch in one hall or area merge into one bar.
    const occupancy = await rows<OccupancyBar>(`
      SELECT coalesce(s.name || ' / ' || h.name, g.name || ' / ' || a.name) AS location, b.batch_number AS batch,
             to_char(min(x.assignment_date), 'YYYY-MM-DD') AS start,
             to_char(max(coalesce(x.departure_date, b.actual_end_date, CAST($1 AS date), current_date)), 'YYYY-MM-DD') AS "end"
      FROM batch_batchcontainerassignment x
      JOIN batch_batch b ON b.id = x.batch_id
      JOIN ${LOCATION} ON c.id = x.container_id
      GROUP BY 1, 2 ORDER BY min(x.assignment_date), 1`, [marker[0]?.as_of ?? null]);
    return {
      database: databaseOf(url),
      preset: marker[0]?.preset ?? null,
      asOf: marker[0]?.as_of ?? null,
      batches: counts?.batches ?? 0,
      containers: counts?.containers ?? 0,
      population: group(batchDaily.map((r) => ({ name: r.name, date: r.date, value: r.population }))),
      averageWeight: group(batchDaily.filter((r) => r.weight !== null).map((r) => ({ name: r.name, date: r.date, value: r.weight as number }))),
      biomassByGeography: group(geography),
      utilization: group(utilization),
      occupancy,
      incidents: (marker[0]?.incidents ?? []).map((i) => ({ kind: i.kind, batch: i.batch, day: i.day, container: i.container ?? i.area ?? null })),
    };
  } finally {
    await endQuietly(client);
  }
}

function group(rows: readonly { name: string; date: string; value: number }[]): Series[] {
  const series = new Map<string, DatePoint[]>();
  for (const { name, date, value } of rows) {
    let points = series.get(name);
    if (!points) series.set(name, (points = []));
    points.push({ date, value });
  }
  return [...series].map(([name, points]) => ({ name, points }));
}
