/**
 * `health_journalentry`: a routine observation every 30th batch day from day 0 in one randomly
 * chosen active container, at 14:00 (AquaMind §3.3 step 12: category observation, severity low,
 * "Routine observation <stage>"). The text adds what the day's data show: fish, average weight and
 * water temperature.
 */
import type { Assignment } from './assignments.js';
import type { BatchContext } from './context.js';
import type { Rng } from '../core/rng.js';
import type { BatchState, DayStep, SimDay } from './state.js';
import { JOURNAL_EVERY_DAYS } from '../core/tuning.js';

const ENTRY_TIME = '14:00';

export class JournalStep implements DayStep {
  constructor(
    private readonly ctx: BatchContext,
    private readonly state: BatchState,
    private readonly rng: Rng,
  ) {}

  runDay(day: SimDay): void {
    const { ctx, state } = this;
    if (day.clock.d % JOURNAL_EVERY_DAYS !== 0 || state.active.length === 0 || !day.clock.happened(ENTRY_TIME)) return;
    const assignment = this.rng.pick(state.active);
    const at = day.clock.stamp(ENTRY_TIME);
    const weight = state.weightG < 10 ? state.weightG.toFixed(2) : state.weightG.toFixed(0);
    emitJournalEntry(
      ctx,
      assignment,
      at,
      'observation',
      'low',
      `Routine observation ${state.stage.name}: ${assignment.container.name} holds ${grouped(assignment.population)} fish ` +
        `at ${weight} g average; water ${day.temperatureC.toFixed(1)} °C; behaviour and feeding normal.`,
    );
  }
}

/** One health_journalentry about `assignment`'s container, unresolved. */
export function emitJournalEntry(
  ctx: BatchContext,
  assignment: Assignment,
  at: string,
  category: 'observation' | 'issue' | 'action' | 'diagnosis' | 'treatment' | 'vaccination' | 'sample',
  severity: 'low' | 'medium' | 'high',
  description: string,
): void {
  ctx.sink.emit('health_journalentry', {
    id: ctx.ids.next('health_journalentry'),
    entry_date: at,
    category,
    severity,
    description,
    resolution_status: false,
    resolution_notes: '',
    batch_id: ctx.batchId,
    container_id: assignment.container.id,
    user_id: ctx.userId,
    created_at: at,
    updated_at: at,
  });
}

/** 1234567 → 1,234,567 (no locale data involved, so every machine prints the same). */
export function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
