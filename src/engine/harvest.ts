/**
 * `harvest_harvestevent` (one per ring, HRV-<batch>-<container>) and `harvest_harvestlot` (five
 * grades per event). A well boat empties a couple of rings a day in ring order while the others
 * keep being fed, so the campaign starts on the day that makes the harvested fish average the
 * plan's target (projected at the day's temperature), or early enough that the last ring is
 * emptied by the Adult-day limit. A harvested ring's assignment closes that day with its
 * departure date (AquaMind left it NULL). Each event's lots also get their finance facts and
 * intercompany transactions (./finance.ts).
 */
import type { BatchContext } from './context.js';
import type { DayClock } from './clock.js';
import { closeAssignment, type Assignment } from './assignments.js';
import { emitHarvestFinance, productionCostPerKg, type HarvestedLot } from './finance.js';
import { round3 } from '../core/numbers.js';
import { splitByWeights } from './split.js';
import type { BatchState } from './state.js';
import { tgcStep } from '../core/growth.js';
import { FILLET_YIELD, GUTTED_YIELD, HARVEST_GRADES, HARVEST_RINGS_PER_DAY, STAGE_TGC } from '../core/tuning.js';

export const HARVEST_TIME = '10:00';
const GRADE_SHARES = HARVEST_GRADES.map((g) => g.share);
/** Share-weighted mean of the grade weight factors: dividing by it keeps a ring's lots at its biomass. */
const MEAN_FACTOR = HARVEST_GRADES.reduce((sum, g) => sum + g.share * g.weightFactor, 0);

export class HarvestCampaign {
  private started = false;
  private readonly gradeIds: readonly number[];

  constructor(
    private readonly ctx: BatchContext,
    private readonly state: BatchState,
    /** Batch-relative day of the sea transfer (Adult day 0). */
    private readonly seaStartDay: number,
    /** An overdue harvest (incident): the campaign does not start before the run ends on asOf. */
    private readonly heldPastAsOf = false,
  ) {
    this.gradeIds = HARVEST_GRADES.map(({ code }) => {
      const grade = ctx.farm.productGrades.find((g) => g.code === code);
      if (!grade) throw new Error(`the farm has no product grade ${code}`);
      return grade.id;
    });
  }

  /**
   * Harvests today's rings if the campaign is due (judged on yesterday's growth). Returns true
   * once the batch's last ring is empty.
   */
  runDay(clock: DayClock, temperatureC: number): boolean {
    const { state } = this;
    // Never on the transfer day itself: a ring holds its fish at least one day.
    if (state.stage.order !== 6 || state.active.length === 0 || clock.d <= this.seaStartDay) return false;
    // The well boat comes at 10:00: before then the day's rings still hold their fish.
    if (!clock.happened(HARVEST_TIME)) return false;
    if (!this.started && (this.heldPastAsOf || !this.due(clock.d, temperatureC))) return false;
    this.started = true;
    const costPerKg = productionCostPerKg(state);
    const today = state.active.slice(0, HARVEST_RINGS_PER_DAY);
    state.active = state.active.slice(today.length);
    for (const assignment of today) this.harvestRing(assignment, clock, costPerKg);
    return state.active.length === 0;
  }

  private due(d: number, temperatureC: number): boolean {
    const { state, ctx } = this;
    const campaignDays = Math.ceil(state.active.length / HARVEST_RINGS_PER_DAY);
    if (d - this.seaStartDay >= ctx.schedule.adultMaxDays - campaignDays + 1) return true;
    // Start on the day whose campaign average lands closest to the target: today if starting
    // tomorrow would overshoot it by more than starting today falls short.
    const today = this.projectedCampaignMeanG(0, temperatureC);
    const tomorrow = this.projectedCampaignMeanG(1, temperatureC);
    return today + tomorrow >= 2 * ctx.plan.harvestTargetKg * 1000;
  }

  /** Fish-weighted mean harvest weight of a campaign starting `delay` days from now, at today's temperature. */
  private projectedCampaignMeanG(delay: number, temperatureC: number): number {
    const rings = this.state.active;
    let weightG = this.state.weightG;
    for (let day = 0; day < delay; day++) weightG = tgcStep(weightG, STAGE_TGC[6], temperatureC);
    let fish = 0;
    let grams = 0;
    for (let i = 0; i < rings.length; i++) {
      if (i > 0 && i % HARVEST_RINGS_PER_DAY === 0) weightG = tgcStep(weightG, STAGE_TGC[6], temperatureC);
      fish += rings[i]!.population;
      grams += rings[i]!.population * weightG;
    }
    return fish > 0 ? grams / fish : weightG;
  }

  private harvestRing(assignment: Assignment, clock: DayClock, costPerKg: number): void {
    const { ctx, state } = this;
    const weightG = state.weightG;
    const fish = assignment.population;
    if (fish > 0) {
      const eventId = ctx.ids.next('harvest_harvestevent');
      const at = clock.stamp(HARVEST_TIME);
      ctx.sink.emit('harvest_harvestevent', {
        id: eventId,
        event_date: at,
        dest_subsidiary: 'LG',
        document_ref: `HRV-${ctx.plan.batchNumber}-${assignment.container.name}`,
        created_at: at,
        updated_at: at,
        assignment_id: assignment.id,
        batch_id: ctx.batchId,
        dest_geography_id: ctx.geography.id,
      });
      const counts = splitByWeights(fish, GRADE_SHARES);
      const lots: HarvestedLot[] = [];
      for (let g = 0; g < HARVEST_GRADES.length; g++) {
        const count = counts[g]!;
        const liveKg = round3((count * weightG * HARVEST_GRADES[g]!.weightFactor) / MEAN_FACTOR / 1000);
        state.harvestedKg += liveKg;
        const lotId = ctx.ids.next('harvest_harvestlot');
        lots.push({ id: lotId, gradeId: this.gradeIds[g]!, liveKg, units: count });
        ctx.sink.emit('harvest_harvestlot', {
          id: lotId,
          live_weight_kg: liveKg,
          gutted_weight_kg: round3(liveKg * GUTTED_YIELD),
          fillet_weight_kg: round3(liveKg * FILLET_YIELD),
          unit_count: count,
          created_at: at,
          updated_at: at,
          event_id: eventId,
          product_grade_id: this.gradeIds[g]!,
        });
      }
      state.harvestedFish += fish;
      const area = ctx.farm.areas.find((a) => a.id === assignment.container.areaId);
      emitHarvestFinance(ctx, eventId, area, lots, costPerKg, clock, at);
    }
    closeAssignment(assignment, weightG, clock, HARVEST_TIME);
  }
}
