/**
 * `inventory_feedingevent`: one meal per active assignment at 08:00 and again at 16:00 (after the
 * day's mortality), from Fry on. The ration is the stage's feed conversion times the day's
 * potential growth, i.e. a feed table in % of biomass that follows weight and temperature. Feed
 * comes from the hall's silo, or at sea from the barge serving the ring's position in the area
 * (AquaMind drew every ring from barge 1), through the batch's FIFO ledger.
 */
import type { Container, FarmModel, Feed, FeedContainer } from '../core/model.js';
import { bargeOfRing } from '../core/layout.js';
import type { StageOrder } from '../core/stages.js';
import { FEED_WINDOW_DAYS } from './assignments.js';
import type { BatchContext } from './context.js';
import { UNITS_PER_KG, type FeedLedger } from './feed-ledger.js';
import { potentialGainFraction } from '../core/growth.js';
import { round2, round6 } from '../core/numbers.js';
import type { Rng } from '../core/rng.js';
import type { BatchState, DayStep, SimDay } from './state.js';
import { APPETITE_SPREAD, FEED_CONVERSION, FEED_PRICE_PER_KG } from '../core/tuning.js';

export class FeedingStep implements DayStep {
  private readonly feedContainerOf = new Map<number, FeedContainer>();
  private readonly feedOf = new Map<StageOrder, Feed>();

  constructor(
    private readonly ctx: BatchContext,
    private readonly state: BatchState,
    private readonly ledger: FeedLedger,
    private readonly rng: Rng,
    private readonly mealTime: string,
  ) {}

  runDay(day: SimDay): void {
    const { ctx, state, ledger, rng } = this;
    const order = state.stage.order;
    if (order === 1 || !day.clock.happened(this.mealTime)) return;
    const weightG = state.weightG;
    const mealShare = (FEED_CONVERSION[order] * potentialGainFraction(weightG, order, day.temperatureC)) / 2;
    if (!(mealShare > 0)) return;
    const feed = this.feedFor(order);
    const price = FEED_PRICE_PER_KG[order];
    const at = day.clock.stamp(this.mealTime);
    for (const assignment of state.active) {
      const biomassKg = (assignment.population * weightG) / 1000;
      const appetite = 1 + APPETITE_SPREAD * (2 * rng.next() - 1);
      const wanted = Math.round(biomassKg * mealShare * appetite * UNITS_PER_KG);
      if (wanted <= 0) continue;
      const fed = ledger.draw(this.feedContainerFor(assignment.container), feed.id, price, wanted, day.clock, this.mealTime);
      if (fed === 0) continue;
      const amountKg = fed / UNITS_PER_KG;
      state.feedKg += amountKg;
      state.feedCost += ledger.lastCost;
      assignment.feedTodayKg += amountKg;
      assignment.feedWindow[day.clock.d % FEED_WINDOW_DAYS]! += amountKg;
      ctx.sink.emit('inventory_feedingevent', {
        id: ctx.ids.next('inventory_feedingevent'),
        feeding_date: day.clock.date,
        feeding_time: this.mealTime,
        amount_kg: amountKg,
        batch_biomass_kg: round2(biomassKg),
        feeding_percentage: round6((amountKg / biomassKg) * 100),
        method: 'AUTOMATIC',
        notes: '',
        created_at: at,
        updated_at: at,
        batch_id: ctx.batchId,
        batch_assignment_id: assignment.id,
        container_id: assignment.container.id,
        feed_id: feed.id,
        recorded_by_id: null,
        feed_cost: round2(ledger.lastCost),
      });
    }
  }

  private feedFor(order: StageOrder): Feed {
    let feed = this.feedOf.get(order);
    if (!feed) {
      feed = this.ctx.farm.feeds.find((f) => f.stageOrder === order);
      if (!feed) throw new Error(`the farm has no feed for stage ${order}`);
      this.feedOf.set(order, feed);
    }
    return feed;
  }

  private feedContainerFor(container: Container): FeedContainer {
    let feedContainer = this.feedContainerOf.get(container.id);
    if (!feedContainer) {
      feedContainer = resolveFeedContainer(this.ctx.farm, container);
      this.feedContainerOf.set(container.id, feedContainer);
    }
    return feedContainer;
  }
}

/** The hall's silo, or the barge serving the ring's share of the area (rings in name order; core/layout.ts bargeOfRing). */
export function resolveFeedContainer(farm: FarmModel, container: Container): FeedContainer {
  let id: number | undefined;
  if (container.hallId !== null) {
    id = farm.halls.find((h) => h.id === container.hallId)?.feedContainerIds[0];
  } else if (container.areaId !== null) {
    const area = farm.areas.find((a) => a.id === container.areaId);
    if (area && area.feedContainerIds.length > 0) {
      const ring = Math.max(0, area.containerIds.indexOf(container.id)) + 1;
      id = area.feedContainerIds[bargeOfRing(ring, area.containerIds.length, area.feedContainerIds.length) - 1];
    }
  }
  const feedContainer = id === undefined ? undefined : farm.feedContainers.get(id);
  if (!feedContainer) throw new Error(`container ${container.name} has no feed container in the farm`);
  return feedContainer;
}
