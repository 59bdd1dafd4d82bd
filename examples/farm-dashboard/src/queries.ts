/**
 * What the dashboard shows, read from a seeded farm through aquaseed's typed Kysely handle.
 * Everything is "on the farm's last day" (schedule.asOf): active assignments are the ones in place.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from 'aquaseed';

export interface StageCount {
  stage: string;
  order: number;
  batches: number;
}

export interface Utilization {
  kind: 'hall' | 'area';
  name: string;
  containers: number;
  occupied: number;
}

export interface GrowthPoint {
  date: string;
  avgWeightG: number;
}

export interface DashboardData {
  batches: { batchNumber: string; status: string; stage: string }[];
  byStage: StageCount[];
  utilization: Utilization[];
  growth: { batchNumber: string; points: GrowthPoint[] } | null;
}

export async function batchesByStage(db: Kysely<Database>): Promise<StageCount[]> {
  const rows = await db
    .selectFrom('batch_lifecyclestage as s')
    .leftJoin('batch_batch as b', (join) => join.onRef('b.lifecycle_stage_id', '=', 's.id').on('b.status', '=', 'ACTIVE'))
    .select(['s.name as stage', 's.order as order', (eb) => eb.fn.count<string>('b.id').as('batches')])
    .groupBy(['s.name', 's.order'])
    .orderBy('s.order')
    .execute();
  return rows.map((row) => ({ stage: row.stage, order: Number(row.order), batches: Number(row.batches) }));
}

/** Holding containers per hall and sea area, and how many hold a batch now; only places in use. */
export async function utilization(db: Kysely<Database>): Promise<Utilization[]> {
  const { rows } = await sql<{ kind: 'hall' | 'area'; name: string; containers: number; occupied: number }>`
    SELECT CASE WHEN c.hall_id IS NOT NULL THEN 'hall' ELSE 'area' END AS kind,
           coalesce(h.name, a.name) AS name,
           count(*)::int AS containers,
           count(*) FILTER (WHERE EXISTS (
             SELECT 1 FROM batch_batchcontainerassignment x WHERE x.container_id = c.id AND x.is_active))::int AS occupied
      FROM infrastructure_container c
      LEFT JOIN infrastructure_hall h ON h.id = c.hall_id
      LEFT JOIN infrastructure_area a ON a.id = c.area_id
     WHERE c.hierarchy_role = 'HOLDING' AND (c.hall_id IS NOT NULL OR c.area_id IS NOT NULL)
     GROUP BY 1, 2
    HAVING count(*) FILTER (WHERE EXISTS (
             SELECT 1 FROM batch_batchcontainerassignment x WHERE x.container_id = c.id AND x.is_active)) > 0
     ORDER BY 1 DESC, 2`.execute(db);
  return rows;
}

/** Mean sampled weight per sample date over all of the batch's containers. */
export async function growthCurve(db: Kysely<Database>, batchNumber: string): Promise<GrowthPoint[]> {
  const rows = await db
    .selectFrom('batch_growthsample as g')
    .innerJoin('batch_batchcontainerassignment as a', 'a.id', 'g.assignment_id')
    .innerJoin('batch_batch as b', 'b.id', 'a.batch_id')
    .where('b.batch_number', '=', batchNumber)
    .select(['g.sample_date as date', (eb) => eb.fn.avg<number>('g.avg_weight_g').as('avg')])
    .groupBy('g.sample_date')
    .orderBy('g.sample_date')
    .execute();
  return rows.map((row) => ({ date: String(row.date), avgWeightG: Math.round(Number(row.avg) * 100) / 100 }));
}

export async function dashboardData(db: Kysely<Database>, batchNumber?: string): Promise<DashboardData> {
  const batches = await db
    .selectFrom('batch_batch as b')
    .innerJoin('batch_lifecyclestage as s', 's.id', 'b.lifecycle_stage_id')
    .select(['b.batch_number as batchNumber', 'b.status as status', 's.name as stage'])
    .orderBy('b.batch_number')
    .execute();
  const chosen = batchNumber ?? batches[0]?.batchNumber;
  const [byStage, places, points] = await Promise.all([
    batchesByStage(db),
    utilization(db),
    chosen ? growthCurve(db, chosen) : Promise.resolve([]),
  ]);
  return { batches, byStage, utilization: places, growth: chosen ? { batchNumber: chosen, points } : null };
}
