/**
 * `inventory_containerfeedingsummary` and `inventory_batchfeedingsummary`: what AquaMind's
 * FeedingEvent post_save signal (`FCRCalculationService`) keeps up to date, computed here in
 * simulated time. On every feeding day the signal update_or_creates, for each fed assignment, the
 * summary of the 30-day window [today − 30, today], then aggregates that window's container
 * summaries into the batch summary. AquaMind used the wall-clock `date.today()`, so a historical
 * generation found no feeding in its window and left both tables almost empty.
 *
 * Container summary (AquaMind's rules): feed = the assignment's meals in the window; growth =
 * (mean weight of the last sampling day − that of the first sampling day in the window) × the
 * fish in the container; FCR = feed ÷ growth. Sampling days before the fish came into the
 * container are left out (AquaMind's window mixed in the previous stage's weighings, which made
 * the FCR of a freshly stocked container nonsense). No summary when fewer than two sampling days
 * remain or there is no weight gain (AquaMind: "only one sample"), or when the FCR would overflow
 * numeric(5,3) (AquaMind's insert failed there). AquaMind took the first and last sample rows
 * of the window; we take the mean of each day's samples, so the result does not depend on row
 * order. Confidence by days since the last weighing: < 10 VERY_HIGH, < 20 HIGH, < 40 MEDIUM, else
 * LOW; estimation MEASURED (the window has weighings).
 *
 * Batch summary: sums of feed, growth and biomass over the window's container summaries, the
 * feed-weighted mean of their FCRs and their confidence (the same for all: weighings are batch-wide).
 */
import { FEED_WINDOW_DAYS, type Assignment } from './assignments.js';
import type { BatchContext } from './context.js';
import { round2, round3 } from '../core/numbers.js';
import type { BatchState, DayStep, SimDay } from './state.js';
import { isoDate } from '../core/time.js';
import { MEAL_TIMES } from '../core/tuning.js';

type Confidence = 'VERY_HIGH' | 'HIGH' | 'MEDIUM' | 'LOW';
/** numeric(5,3) holds FCRs below this. */
const FCR_LIMIT = 100;

interface SampleDay {
  readonly d: number;
  readonly meanG: number;
  readonly samples: number;
}

function confidenceAfter(days: number): Confidence {
  return days < 10 ? 'VERY_HIGH' : days < 20 ? 'HIGH' : days < 40 ? 'MEDIUM' : 'LOW';
}

export class FeedingSummaryStep implements DayStep {
  private readonly sampleDays: SampleDay[] = [];
  /** First entry of sampleDays inside today's window. */
  private windowStart = 0;

  constructor(
    private readonly ctx: BatchContext,
    private readonly state: BatchState,
  ) {}

  runDay(day: SimDay): void {
    const { state } = this;
    const d = day.clock.d;
    this.recordSamples(d);
    // The summaries follow the day's meals: made with the first, updated with the second.
    if (!day.clock.happened(MEAL_TIMES.morning)) return;
    const windowFirstDay = d - (FEED_WINDOW_DAYS - 1);
    while (this.windowStart < this.sampleDays.length && this.sampleDays[this.windowStart]!.d < windowFirstDay) this.windowStart++;
    if (this.sampleDays.length - this.windowStart < 2) return;
    const last = this.sampleDays[this.sampleDays.length - 1]!;
    const confidence = confidenceAfter(d - last.d);

    const periodStart = isoDate(day.clock.dayNumber - (FEED_WINDOW_DAYS - 1));
    const createdAt = day.clock.stamp(MEAL_TIMES.morning);
    const updatedAt = day.clock.stamp(day.clock.happened(MEAL_TIMES.afternoon) ? MEAL_TIMES.afternoon : MEAL_TIMES.morning);
    let feedSum = 0;
    let growthSum = 0;
    let startSum = 0;
    let endSum = 0;
    let weightedFcr = 0;
    let containers = 0;
    for (const a of state.active) {
      if (!(a.feedTodayKg > 0) || a.population === 0) continue;
      // Weighings while these fish were in this container: growth and feed cover the same days.
      let first = this.windowStart;
      while (first < this.sampleDays.length && this.sampleDays[first]!.d < a.openedOnDay) first++;
      if (this.sampleDays.length - first < 2) continue;
      const firstDay = this.sampleDays[first]!;
      const gainG = last.meanG - firstDay.meanG;
      if (!(gainG > 0)) continue;
      let dataPoints = 0;
      for (let i = first; i < this.sampleDays.length; i++) dataPoints += this.sampleDays[i]!.samples;
      const feedKg = round2(windowFeed(a));
      const growthKg = round2((gainG / 1000) * a.population);
      if (!(growthKg > 0)) continue;
      const fcr = round3(feedKg / growthKg);
      if (!(fcr < FCR_LIMIT)) continue;
      const startKg = round2((firstDay.meanG / 1000) * a.population);
      const endKg = round2((last.meanG / 1000) * a.population);
      this.emitContainer(a, periodStart, day.clock.date, createdAt, updatedAt, feedKg, startKg, endKg, growthKg, fcr, confidence, dataPoints);
      feedSum += feedKg;
      growthSum += growthKg;
      startSum += startKg;
      endSum += endKg;
      weightedFcr += feedKg * fcr;
      containers++;
    }
    if (containers === 0) return;
    const fcr = feedSum > 0 ? round3(weightedFcr / feedSum) : null;
    const { ctx } = this;
    ctx.sink.emit('inventory_batchfeedingsummary', {
      id: ctx.ids.next('inventory_batchfeedingsummary'),
      period_start: periodStart,
      period_end: day.clock.date,
      total_feed_kg: round2(feedSum),
      average_feeding_percentage: null,
      created_at: createdAt,
      updated_at: updatedAt,
      batch_id: ctx.batchId,
      total_feed_consumed_kg: round2(feedSum),
      total_biomass_gain_kg: round2(growthSum),
      fcr,
      estimation_method: 'MEASURED',
      container_count: containers,
      overall_confidence_level: confidence,
      total_ending_biomass_kg: endSum > 0 ? round2(endSum) : null,
      total_growth_kg: round2(growthSum),
      total_starting_biomass_kg: startSum > 0 ? round2(startSum) : null,
      weighted_avg_fcr: fcr,
      average_biomass_kg: null,
    });
  }

  /** Today's growth samples, as one batch-level weighing of the day. */
  private recordSamples(d: number): void {
    let sum = 0;
    let samples = 0;
    for (const a of this.state.active) {
      if (Number.isNaN(a.sampleMeanTodayG)) continue;
      sum += a.sampleMeanTodayG;
      samples++;
    }
    if (samples > 0) this.sampleDays.push({ d, meanG: sum / samples, samples });
  }

  private emitContainer(
    a: Assignment,
    periodStart: string,
    periodEnd: string,
    createdAt: string,
    updatedAt: string,
    feedKg: number,
    startKg: number,
    endKg: number,
    growthKg: number,
    fcr: number,
    confidence: Confidence,
    dataPoints: number,
  ): void {
    const { ctx } = this;
    ctx.sink.emit('inventory_containerfeedingsummary', {
      id: ctx.ids.next('inventory_containerfeedingsummary'),
      created_at: createdAt,
      updated_at: updatedAt,
      period_start: periodStart,
      period_end: periodEnd,
      total_feed_kg: feedKg,
      starting_biomass_kg: startKg,
      ending_biomass_kg: endKg,
      growth_kg: growthKg,
      fcr,
      confidence_level: confidence,
      estimation_method: 'MEASURED',
      data_points: dataPoints,
      batch_id: ctx.batchId,
      container_assignment_id: a.id,
    });
  }
}

/** The assignment's feed over the window (its ring buffer holds only days it was active). */
function windowFeed(a: Assignment): number {
  let sum = 0;
  for (let i = 0; i < FEED_WINDOW_DAYS; i++) sum += a.feedWindow[i]!;
  return sum;
}
