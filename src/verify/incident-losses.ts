/**
 * The fish a batch lost to its mortality-spike incidents: survival, FCR and population at day add
 * them back, so a test's incident does not fail the farm's routine checks. A spike's mortality
 * events are recognised by the kind's description (src/schedule/incidents/mortality-spike.ts).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema/tables/index.js';
import { MORTALITY_SPIKE_DESCRIPTION } from '../schedule/incidents/mortality-spike.js';
import { formatCount } from './format.js';
import { storedSchedule } from './stored-schedule.js';

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
