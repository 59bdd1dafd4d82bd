/**
 * `disease`: on the incident's day in its first container, a journal entry at 09:00 raises the
 * issue (category issue, severity high), a health sampling event of 75 fish at 13:30 finds them in
 * poor shape (each fish scored on every health parameter, mostly 2 "Poor" and 3 "Critical"), and a
 * journal entry at 17:00 records the diagnosis (category diagnosis, severity high, unresolved).
 * The sampling has its own random stream; the routine sampling and journal keep theirs.
 */
import type { IncidentOf } from '../../schedule/incident-types.js';
import type { BatchContext } from '../context.js';
import type { HealthSamplingStep } from '../health-sampling.js';
import { emitJournalEntry } from '../journal.js';
import type { BatchState, DayStep, SimDay } from '../state.js';
import { INCIDENT } from '../../core/tuning.js';
import { assignmentsOf, type TargetedIncident } from './targets.js';

type Disease = TargetedIncident<IncidentOf<'disease'>>;

export class DiseaseStep implements DayStep {
  constructor(
    private readonly ctx: BatchContext,
    private readonly state: BatchState,
    private readonly outbreaks: readonly { disease: Disease; sampling: HealthSamplingStep }[],
  ) {}

  runDay(day: SimDay): void {
    for (const { disease, sampling } of this.outbreaks) {
      if (disease.d !== day.clock.d) continue;
      const assignment = assignmentsOf(disease, this.state.active)[0];
      if (!assignment) continue;
      const name = disease.incident.disease;
      const container = assignment.container.name;
      // The day unfolds as far as the farm's "now": raised at 09:00, sampled 13:30, diagnosed 17:00.
      if (!day.clock.happened('09:00')) continue;
      emitJournalEntry(
        this.ctx,
        assignment,
        day.clock.stamp('09:00'),
        'issue',
        'high',
        `Suspected ${name} in ${container}: lethargic fish near the surface, reduced appetite, raised mortality risk; health sampling ordered.`,
      );
      if (!day.clock.happened('13:30')) continue;
      const meanScore = sampling.sample(assignment, day, {
        time: '13:30',
        notes: `Disease investigation - ${name} (${container})`,
        scoreWeights: INCIDENT.disease.scoreWeights,
      });
      if (!day.clock.happened('17:00')) continue;
      emitJournalEntry(
        this.ctx,
        assignment,
        day.clock.stamp('17:00'),
        'diagnosis',
        'high',
        `${name} diagnosed in ${container} (${this.state.stage.name}): 75 fish sampled, mean health score ${meanScore.toFixed(2)} of 3; treatment plan and movement restrictions pending.`,
      );
    }
  }
}
