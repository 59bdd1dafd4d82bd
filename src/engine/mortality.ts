/**
 * `batch_mortalityevent`: each day, per active assignment, Poisson(population × stage rate) deaths,
 * recorded with the batch and the assignment (AquaMind's orphaned mortality forced proration).
 */
import type { Assignment } from './assignments.js';
import type { BatchContext } from './context.js';
import { round2 } from '../core/numbers.js';
import type { Rng } from '../core/rng.js';
import type { BatchState, DayStep, SimDay } from './state.js';
import { MORTALITY_CAUSES, MORTALITY_RATE } from '../core/tuning.js';

export const MORTALITY_CHECK_TIME = '12:00';
const CAUSE_WEIGHTS = MORTALITY_CAUSES.map((c) => c.weight);

export class MortalityStep implements DayStep {
  constructor(
    private readonly ctx: BatchContext,
    private readonly state: BatchState,
    private readonly rng: Rng,
  ) {}

  runDay(day: SimDay): void {
    const { ctx, state, rng } = this;
    if (!day.clock.happened(MORTALITY_CHECK_TIME)) return;
    const rate = MORTALITY_RATE[state.stage.order];
    const weightG = state.weightG;
    const at = day.clock.stamp(MORTALITY_CHECK_TIME);
    const description = `Daily check ${state.stage.name}`;
    for (const assignment of state.active) {
      const deaths = Math.min(assignment.population, rng.poisson(assignment.population * rate));
      if (deaths === 0) continue;
      recordDeaths(ctx, assignment, day, at, deaths, weightG, MORTALITY_CAUSES[rng.weighted(CAUSE_WEIGHTS)]!.cause, description);
    }
  }
}

/** `deaths` fish of `assignment` die today: the population falls and a mortality event records them. */
export function recordDeaths(
  ctx: BatchContext,
  assignment: Assignment,
  day: SimDay,
  at: string,
  deaths: number,
  weightG: number,
  cause: 'UNKNOWN' | 'DISEASE' | 'ENVIRONMENTAL' | 'HANDLING' | 'PREDATION' | 'OTHER',
  description: string,
): void {
  assignment.population -= deaths;
  assignment.deathsToday += deaths;
  assignment.savedAt = at;
  ctx.sink.emit('batch_mortalityevent', {
    id: ctx.ids.next('batch_mortalityevent'),
    event_date: day.clock.date,
    count: deaths,
    biomass_kg: round2((deaths * weightG) / 1000),
    cause,
    description,
    created_at: at,
    updated_at: at,
    batch_id: ctx.batchId,
    assignment_id: assignment.id,
  });
}
