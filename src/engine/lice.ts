/**
 * `health_licecount`: weekly sea-lice counts of 20 fish per ring in Adult (AquaMind §3.8), one row
 * per lice type and development stage (count_value and lice_type_id; the legacy per-sex columns
 * stay 0, as AquaMind's `clean()` requires when a lice type is given).
 *
 * The load per fish is AquaMind's `0.3 + U·1.7·pressure` with pressure rising with time at sea,
 * scaled by the ring's recovery from the last bath treatment: a treatment removes 90 % of the lice
 * and the ring re-infests over the following weeks, so counts after a treatment are lower than
 * before it (AquaMind's treatments changed nothing). Each count session uses one detection method
 * for all its rows, with that method's confidence. Rows link to the ring's assignment (AquaMind
 * left assignment_id NULL).
 */
import type { LiceType } from '../core/model.js';
import type { Assignment } from './assignments.js';
import type { BatchContext } from './context.js';
import type { Rng } from '../core/rng.js';
import { splitByWeights } from './split.js';
import type { BatchState, DayStep, SimDay } from './state.js';
import { LICE } from '../core/tuning.js';

export const LICE_COUNT_TIME = '10:00';
const SPLIT_SHARES = LICE.split.map((s) => s.share);
const DETECTION_WEIGHTS = LICE.detection.map((m) => m.weight);
const L_SALMONIS = 'Lepeophtheirus salmonis';
const C_ELONGATUS = 'Caligus elongatus';

/** Untreated lice per fish on average at this Adult day (before the random draw). */
export function licePressure(adultDay: number): number {
  for (const step of LICE.pressureSteps) if (adultDay < step.beforeAdultDay) return step.pressure;
  return LICE.pressureSteps[LICE.pressureSteps.length - 1]!.pressure;
}

/** Share of the untreated lice load present `daysSince` days after a bath treatment. */
export function treatmentRecovery(daysSince: number | null): number {
  if (daysSince === null || daysSince < 0) return 1;
  return 1 - LICE.treatmentEfficacy * Math.exp(-daysSince / LICE.reinfestationDays);
}

/** What an incident does to a ring's lice (src/engine/incidents/lice-outbreak.ts). */
export interface LiceLoadOverride {
  /** Lice per fish in the ring on batch day `d`, from the count's draw `u`; undefined: the routine load. */
  perFish(containerId: number, d: number, u: number, pressure: number): number | undefined;
}

export class LiceCountStep implements DayStep {
  private readonly splitTypes: readonly LiceType[];
  private readonly caligusTypes: readonly LiceType[];

  constructor(
    private readonly ctx: BatchContext,
    private readonly state: BatchState,
    private readonly rng: Rng,
    /** Batch day of the sea transfer (Adult day 0). */
    readonly seaStartDay: number,
    private readonly override: LiceLoadOverride | null = null,
  ) {
    const types = ctx.farm.liceTypes;
    this.splitTypes = LICE.split.map(({ gender, stage }) => {
      const type = types.find((t) => t.species === L_SALMONIS && t.gender === gender && t.developmentStage === stage);
      if (!type) throw new Error(`the farm has no lice type ${L_SALMONIS} ${gender} ${stage}`);
      return type;
    });
    this.caligusTypes = types.filter((t) => t.species === C_ELONGATUS);
  }

  runDay(day: SimDay): void {
    if (!day.atSea || day.clock.d % LICE.everyDays !== 0 || !day.clock.happened(LICE_COUNT_TIME)) return;
    const { state } = this;
    const adultDay = day.clock.d - this.seaStartDay;
    const pressure = licePressure(adultDay);
    const since = state.lastLiceTreatmentDay === null ? null : day.clock.d - state.lastLiceTreatmentDay;
    const recovery = treatmentRecovery(since);
    const at = day.clock.stamp(LICE_COUNT_TIME);
    const notes = `Weekly monitoring - Day ${day.clock.d}`;
    for (const assignment of state.active) this.count(assignment, day.clock.d, pressure, recovery, at, notes, this.rng, true);
  }

  /**
   * One count of 20 fish in a ring: a row per L. salmonis stage and, drawn with `withCaligus`, now
   * and then a Caligus row. An incident's extra count passes its own stream and no Caligus draw.
   */
  count(assignment: Assignment, d: number, pressure: number, recovery: number, at: string, notes: string, rng: Rng, withCaligus: boolean): void {
    const u = rng.next();
    const perFish = this.override?.perFish(assignment.container.id, d, u, pressure) ?? (LICE.baseLoad + u * LICE.loadSpread * pressure) * recovery;
    const total = Math.round(perFish * LICE.fishSampled);
    const detection = LICE.detection[rng.weighted(DETECTION_WEIGHTS)]!;
    const counts = splitByWeights(total, SPLIT_SHARES);
    for (let i = 0; i < counts.length; i++) this.emit(assignment, this.splitTypes[i]!, counts[i]!, detection, at, notes);
    if (withCaligus && this.caligusTypes.length > 0 && rng.next() < LICE.caligusProbability) {
      const type = rng.pick(this.caligusTypes);
      const count = rng.int(1, Math.max(1, Math.floor(total * LICE.caligusMaxShare)));
      this.emit(assignment, type, count, detection, at, notes);
    }
  }

  private emit(
    assignment: Assignment,
    type: LiceType,
    count: number,
    detection: (typeof LICE.detection)[number],
    at: string,
    notes: string,
  ): void {
    const { ctx } = this;
    ctx.sink.emit('health_licecount', {
      id: ctx.ids.next('health_licecount'),
      count_date: at,
      adult_female_count: 0,
      adult_male_count: 0,
      juvenile_count: 0,
      fish_sampled: LICE.fishSampled,
      notes,
      batch_id: ctx.batchId,
      container_id: assignment.container.id,
      user_id: ctx.userId,
      confidence_level: detection.confidence,
      count_value: count,
      detection_method: detection.method,
      lice_type_id: type.id,
      assignment_id: assignment.id,
    });
  }
}
