/**
 * `health_treatment`: vaccinations and bath lice treatments (AquaMind §3.10).
 *
 * - Vaccinations on batch days 180, 210, 280 and 310, one per active container at 10:00; the k-th
 *   vaccination day uses the vaccine types in name order, rotating (IPN, Multi-component, VHS,
 *   IPN with the farm's three types). 40 per batch.
 * - Bath lice treatments on Adult days 150 and 270, one per ring at 09:00. They lower the lice
 *   counts that follow (./lice.ts).
 *
 * A treatment is recorded when it starts, outcome `pending`, and saved `successful` when its
 * duration is over (the same time of day `duration_days` later): a `~` row of its history. One
 * still running at the farm's "now" is `pending`.
 */
import type { Assignment } from './assignments.js';
import type { BatchContext } from './context.js';
import type { BatchState, DayStep, SimDay } from './state.js';
import type { Row } from '../schema/tables/index.js';
import { addDays } from '../core/time.js';
import { LICE_TREATMENT, LICE_TREATMENT_ADULT_DAYS, VACCINATION, VACCINATION_DAYS } from '../core/tuning.js';

const VACCINATION_TIME = '10:00';
export const LICE_TREATMENT_TIME = '09:00';

export class TreatmentStep implements DayStep {
  constructor(
    private readonly ctx: BatchContext,
    private readonly state: BatchState,
    /** Batch day of the sea transfer (Adult day 0). */
    private readonly seaStartDay: number,
  ) {}

  runDay(day: SimDay): void {
    const d = day.clock.d;
    const vaccination = VACCINATION_DAYS.indexOf(d);
    if (vaccination >= 0 && day.clock.happened(VACCINATION_TIME)) this.vaccinate(day, vaccination);
    if (day.atSea && LICE_TREATMENT_ADULT_DAYS.includes(d - this.seaStartDay) && day.clock.happened(LICE_TREATMENT_TIME)) this.treatLice(day);
  }

  private vaccinate(day: SimDay, k: number): void {
    const { ctx, state } = this;
    const types = ctx.farm.vaccinationTypes;
    if (types.length === 0) return; // AquaMind skipped vaccinations without VaccinationType rows
    const vaccine = types[k % types.length]!;
    const at = day.clock.stamp(VACCINATION_TIME);
    const description = `${vaccine.name} vaccination - ${state.stage.name} stage (Day ${day.clock.d})`;
    for (const assignment of state.active) {
      recordTreatment(ctx, {
        id: ctx.ids.next('health_treatment'),
        treatment_date: at,
        treatment_type: 'vaccination',
        description,
        dosage: vaccine.dosage || 'Standard dose',
        duration_days: VACCINATION.durationDays,
        withholding_period_days: VACCINATION.withholdingDays,
        outcome: 'pending',
        batch_id: ctx.batchId,
        batch_assignment_id: assignment.id,
        container_id: assignment.container.id,
        user_id: ctx.userId,
        vaccination_type_id: vaccine.id,
        includes_weighing: false,
        sampling_event_id: null,
        journal_entry_id: null,
      });
    }
  }

  private treatLice(day: SimDay): void {
    const { ctx, state } = this;
    const at = day.clock.stamp(LICE_TREATMENT_TIME);
    const adultDay = day.clock.d - this.seaStartDay;
    for (const assignment of state.active) {
      emitLiceTreatment(ctx, assignment, at, `Sea lice bath treatment - ${assignment.container.name} (Adult day ${adultDay})`);
    }
    state.lastLiceTreatmentDay = day.clock.d;
  }
}

/** One ring's bath lice treatment (AquaMind §3.10), at `at`. */
export function emitLiceTreatment(ctx: BatchContext, assignment: Assignment, at: string, description: string): void {
  recordTreatment(ctx, {
    id: ctx.ids.next('health_treatment'),
    treatment_date: at,
    treatment_type: 'physical',
    description,
    dosage: LICE_TREATMENT.dosage,
    duration_days: LICE_TREATMENT.durationDays,
    withholding_period_days: LICE_TREATMENT.withholdingDays,
    outcome: 'pending',
    batch_id: ctx.batchId,
    batch_assignment_id: assignment.id,
    container_id: assignment.container.id,
    user_id: ctx.userId,
    vaccination_type_id: null,
    includes_weighing: false,
    sampling_event_id: null,
    journal_entry_id: null,
  });
}

/** A treatment started at its treatment_date: `successful` once its duration is over, if that is by "now". */
function recordTreatment(ctx: BatchContext, started: Row<'health_treatment'>): void {
  const treatment = ctx.sink.track('health_treatment', started, started.treatment_date);
  const [date, time] = started.treatment_date.split(' ') as [string, string];
  const over = `${addDays(date, started.duration_days)} ${time}`;
  if (over <= ctx.now) treatment.change({ outcome: 'successful' }, over);
  treatment.close();
}
