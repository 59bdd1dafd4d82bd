/**
 * `feed-shortage`: the feed the batch eats on the incident's day runs short in the feed container
 * (silo or barge) serving the containers it touches. The re-order that would have refilled that
 * feed container last, on or before the day, is never placed, nor is any after it: the stock stays
 * below the re-order level (20 % of capacity) from then to the end of the run. A meal the stock
 * cannot cover is bridged by a part-load of 10 % of capacity (an `inventory_feedpurchase` noting
 * the supplier is short), so the fish are fed as before and the stock never goes negative.
 *
 * Which re-order was the last one is found by a dry run of the batch up to the incident's day
 * (the simulation is deterministic, so it is the same run up to there).
 */
import type { IncidentOf } from '../../schedule/incident-types.js';
import type { BatchContext } from '../context.js';
import { FeedLedger, type FeedPolicy } from '../feed-ledger.js';
import { resolveFeedContainer } from '../feeding.js';
import type { TargetedIncident } from './targets.js';

type Shortage = TargetedIncident<IncidentOf<'feed-shortage'>>;

/** A bin short of feed: its incident's batch day and the first day after the shortage. */
export interface ShortBin {
  day: number;
  until: number;
}

/** The (feed container, feed) bins the shortages hit. */
export function shortageBins(ctx: BatchContext, shortages: readonly Shortage[]): Map<number, ShortBin> {
  const bins = new Map<number, ShortBin>();
  for (const shortage of shortages) {
    const feed = ctx.farm.feeds.find((f) => f.stageOrder === shortage.order);
    if (!feed) throw new Error(`the farm has no feed for stage ${shortage.order}`);
    for (const id of shortage.containerIds) {
      const feedContainer = resolveFeedContainer(ctx.farm, ctx.farm.containers.get(id)!);
      // One shortage per batch (the schedule refuses a second), so a bin has one window.
      bins.set(FeedLedger.binKey(feedContainer.id, feed.id), { day: shortage.d, until: shortage.d + shortage.incident.days });
    }
  }
  return bins;
}

/** The dry run's policy: nothing held back, the last purchase of each bin up to its day noted. */
export class PurchaseWatch implements FeedPolicy {
  private readonly last = new Map<number, number>();

  constructor(private readonly bins: ReadonlyMap<number, ShortBin>) {}

  heldBack(): boolean {
    return false;
  }

  onPurchase(binKey: number, d: number): void {
    const bin = this.bins.get(binKey);
    if (bin !== undefined && d <= bin.day) this.last.set(binKey, d);
  }

  /** Each bin's held-back window: from its last purchase up to the incident's day (else that day) to the shortage's end. */
  windows(): Map<number, ShortBin> {
    return new Map([...this.bins].map(([key, bin]) => [key, { day: this.last.get(key) ?? bin.day, until: bin.until }]));
  }
}

export class FeedShortage implements FeedPolicy {
  constructor(private readonly windows: ReadonlyMap<number, ShortBin>) {}

  heldBack(binKey: number, d: number): boolean {
    const window = this.windows.get(binKey);
    return window !== undefined && d >= window.day && d < window.until;
  }
}
