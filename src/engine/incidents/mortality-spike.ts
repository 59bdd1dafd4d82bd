/**
 * `mortality-spike`: on the incident's day, after the routine mortality check, `share` of the fish
 * in each container it touches die (at least one) and one more `batch_mortalityevent` per container
 * records them with the cause's code and a description naming the reason, starting with the
 * kind's MORTALITY_SPIKE_DESCRIPTION (src/schedule/incidents/mortality-spike.ts, which verify
 * recognises these rows by). Population and biomass fall from then on, so the batch's later rows follow.
 */
import type { IncidentOf, MortalityReasonName } from '../../schedule/incident-types.js';
import { MORTALITY_SPIKE_DESCRIPTION } from '../../schedule/incidents/mortality-spike.js';
import type { BatchContext } from '../context.js';
import { MORTALITY_CHECK_TIME, recordDeaths } from '../mortality.js';
import type { BatchState, DayStep, SimDay } from '../state.js';
import { assignmentsOf, type TargetedIncident } from './targets.js';

/** MortalityEvent.cause is the model's code; the reason's name goes into the description. */
const CAUSE_OF_REASON: Readonly<Record<MortalityReasonName, 'UNKNOWN' | 'DISEASE' | 'ENVIRONMENTAL' | 'HANDLING' | 'PREDATION' | 'OTHER'>> = {
  UNKNOWN: 'UNKNOWN',
  'Natural Death': 'OTHER',
  Disease: 'DISEASE',
  Stress: 'OTHER',
  Handling: 'HANDLING',
  Predation: 'PREDATION',
  Environmental: 'ENVIRONMENTAL',
  Unknown: 'UNKNOWN',
};

type Spike = TargetedIncident<IncidentOf<'mortality-spike'>>;

export class MortalitySpikeStep implements DayStep {
  constructor(
    private readonly ctx: BatchContext,
    private readonly state: BatchState,
    private readonly spikes: readonly Spike[],
  ) {}

  runDay(day: SimDay): void {
    if (!day.clock.happened(MORTALITY_CHECK_TIME)) return;
    for (const spike of this.spikes) {
      if (spike.d !== day.clock.d) continue;
      const { cause, share } = spike.incident;
      const at = day.clock.stamp(MORTALITY_CHECK_TIME);
      for (const assignment of assignmentsOf(spike, this.state.active)) {
        const deaths = Math.min(assignment.population, Math.max(1, Math.round(share * assignment.population)));
        if (deaths === 0) continue;
        const description = `${MORTALITY_SPIKE_DESCRIPTION}: ${cause} - ${assignment.container.name} lost ${(share * 100).toFixed(1)} % of its ${this.state.stage.name} fish`;
        recordDeaths(this.ctx, assignment, day, at, deaths, this.state.weightG, CAUSE_OF_REASON[cause], description);
      }
    }
  }
}
