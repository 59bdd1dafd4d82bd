/**
 * `lice-outbreak`: from the incident's day the rings it touches carry 1.3-2.0 × the treatment
 * threshold in adult female lice per fish (src/core/domain.ts, LICE_TREATMENT_THRESHOLD). A count
 * on that day shows it: the weekly count when the day is a count day, else an extra count of 20
 * fish per ring at 10:00 ("Outbreak count", the four L. salmonis rows). Unless `untreated`, each ring
 * gets the domain's bath treatment the next day at 09:00, after which its counts fall by the
 * treatment's efficacy and climb back as after any bath; untreated, every later count stays above
 * the threshold. The routine counts keep their own random draws, so the other rings and days are
 * untouched.
 */
import type { IncidentOf } from '../../schedule/incident-types.js';
import type { BatchContext } from '../context.js';
import { LICE_COUNT_TIME, licePressure, treatmentRecovery, type LiceCountStep, type LiceLoadOverride } from '../lice.js';
import type { BatchState, DayStep, SimDay } from '../state.js';
import { emitLiceTreatment, LICE_TREATMENT_TIME } from '../treatments.js';
import { LICE_TREATMENT_THRESHOLD } from '../../core/domain.js';
import { INCIDENT, LICE } from '../../core/tuning.js';
import { assignmentsOf, type TargetedIncident } from './targets.js';

const ADULT_FEMALE_SHARE = LICE.split.find((s) => s.gender === 'female' && s.stage === 'adult')!.share;

type Outbreak = TargetedIncident<IncidentOf<'lice-outbreak'>>;

interface RingOutbreak {
  from: number;
  /** Day of the bath treatment, or null when untreated. */
  treatedOn: number | null;
}

export class LiceOutbreaks implements LiceLoadOverride, DayStep {
  private readonly byRing = new Map<number, RingOutbreak[]>();
  private counts: LiceCountStep | null = null;

  constructor(
    private readonly ctx: BatchContext,
    private readonly state: BatchState,
    private readonly outbreaks: readonly Outbreak[],
  ) {
    for (const { incident, d, containerIds } of outbreaks) {
      for (const id of containerIds) {
        const list = this.byRing.get(id) ?? [];
        list.push({ from: d, treatedOn: incident.untreated ? null : d + 1 });
        this.byRing.set(id, list);
      }
    }
  }

  perFish(containerId: number, d: number, u: number, pressure: number): number | undefined {
    const ring = this.byRing.get(containerId);
    if (!ring) return undefined;
    let treated = -1;
    for (const o of ring) {
      if (d >= o.from && (o.treatedOn === null || d < o.treatedOn)) return outbreakLoad(u);
      if (o.treatedOn !== null && o.treatedOn <= d) treated = Math.max(treated, o.treatedOn);
    }
    if (treated < 0) return undefined;
    // After the ring's own bath the routine load returns as after any bath (the latest one counts).
    const routine = this.state.lastLiceTreatmentDay;
    const last = routine !== null && routine <= d ? Math.max(routine, treated) : treated;
    return (LICE.baseLoad + u * LICE.loadSpread * pressure) * treatmentRecovery(d - last);
  }

  /** As a daily step (extra counts, baths), counting through the batch's lice count step. */
  countingWith(counts: LiceCountStep): this {
    this.counts = counts;
    return this;
  }

  runDay(day: SimDay): void {
    const d = day.clock.d;
    for (const outbreak of this.outbreaks) {
      if (d === outbreak.d && d % LICE.everyDays !== 0 && day.clock.happened(LICE_COUNT_TIME)) this.extraCount(outbreak, day);
      if (!outbreak.incident.untreated && d === outbreak.d + 1 && day.clock.happened(LICE_TREATMENT_TIME)) this.treat(outbreak, day);
    }
  }

  private extraCount(outbreak: Outbreak, day: SimDay): void {
    const counts = this.counts;
    if (!counts) throw new Error('LiceOutbreaks runs as a step only after countingWith()');
    const adultDay = day.clock.d - counts.seaStartDay;
    const at = day.clock.stamp(LICE_COUNT_TIME);
    const notes = `Outbreak count - Day ${day.clock.d}`;
    for (const assignment of assignmentsOf(outbreak, this.state.active)) {
      counts.count(assignment, day.clock.d, licePressure(adultDay), 1, at, notes, outbreak.rng, false);
    }
  }

  private treat(outbreak: Outbreak, day: SimDay): void {
    const at = day.clock.stamp(LICE_TREATMENT_TIME);
    for (const assignment of assignmentsOf(outbreak, this.state.active)) {
      emitLiceTreatment(
        this.ctx,
        assignment,
        at,
        `Sea lice bath treatment - ${assignment.container.name} (outbreak on ${outbreak.incident.day}: above ${LICE_TREATMENT_THRESHOLD} adult female lice per fish)`,
      );
    }
  }
}

/** Lice per fish of an outbreak count from its draw `u`: adult females 1.3-2.0 × the threshold. */
function outbreakLoad(u: number): number {
  const { min, max } = INCIDENT.lice.loadFactor;
  return (LICE_TREATMENT_THRESHOLD * (min + (max - min) * u)) / ADULT_FEMALE_SHARE;
}
