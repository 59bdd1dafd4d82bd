/**
 * The batch's own feed stock: `inventory_feedpurchase` and `inventory_feedcontainerstock` rows
 * (lots `AUTO-<batch>-<n>`), consumed first in, first out. A feed container re-orders when that
 * feed's stock falls below 20 % of its capacity, and also before a meal the stock cannot cover, so
 * no feeding event ever records feed that was not there (AquaMind recorded unmet demand as fed).
 * A stock row's `+` history row is the lot as delivered; each draw is a save AquaMind made but the
 * farm does not record as history (one per meal), so the row goes out at the end with what is left
 * in it and the time of its last draw.
 *
 * Quantities are kept in integer units of 0.1 g (the scale of feeding amounts) so purchases, meals
 * and what remains always balance exactly.
 */
import type { FeedContainer } from '../core/model.js';
import type { DayClock } from './clock.js';
import type { BatchContext } from './context.js';
import type { TrackedRow } from '../rows/history.js';
import { round2 } from '../core/numbers.js';
import { isoDate } from '../core/time.js';
import { REORDER_BELOW_SHARE } from '../core/domain.js';
import { FEED_SHELF_LIFE_DAYS, FEED_SUPPLIER, INCIDENT, REORDER_FILL_SHARE } from '../core/tuning.js';

/** Ledger units per kg. */
export const UNITS_PER_KG = 10_000;
/** Purchases are whole hundredths of a kg (numeric(10,2)). */
const PURCHASE_STEP_UNITS = 100;

interface Lot {
  readonly row: TrackedRow<'inventory_feedcontainerstock'>;
  readonly costPerKg: number;
  remaining: number;
  updatedAt: string;
}

/**
 * What a feed shortage changes (src/engine/incidents/feed-shortage.ts): from its day on, a bin gets
 * no re-order; a meal its stock cannot cover is bridged by a part-load. `onPurchase` watches the
 * purchases of a dry run.
 */
export interface FeedPolicy {
  /** Whether the bin's re-orders are held back on batch day `d`. */
  heldBack(binKey: number, d: number): boolean;
  onPurchase?(binKey: number, d: number): void;
}

/** One feed in one feed container. */
interface Bin {
  readonly key: number;
  readonly feedContainer: FeedContainer;
  readonly feedId: number;
  readonly capacity: number;
  total: number;
  readonly lots: Lot[];
  /** Lots before this index are empty. */
  head: number;
}

export class FeedLedger {
  private readonly bins = new Map<number, Bin>();
  private readonly lots: Lot[] = [];
  /** Cost of the last draw. */
  lastCost = 0;

  constructor(
    private readonly ctx: BatchContext,
    private readonly policy: FeedPolicy | null = null,
  ) {}

  /** The key of one feed in one feed container (feed ids are small master-data ids). */
  static binKey(feedContainerId: number, feedId: number): number {
    return feedContainerId * 1024 + feedId;
  }

  /**
   * Feeds `wanted` units of `feedId` from `feedContainer`, buying at `costPerKg` first if stock
   * would run short and re-ordering afterwards if it fell below the threshold. Returns the units
   * fed (less than wanted only if the meal exceeds the container's capacity); their FIFO cost is
   * left in `lastCost`.
   */
  draw(feedContainer: FeedContainer, feedId: number, costPerKg: number, wanted: number, clock: DayClock, time: string): number {
    const bin = this.binOf(feedContainer, feedId);
    const at = clock.stamp(time);
    const held = this.policy?.heldBack(bin.key, clock.d) ?? false;
    while (bin.total < wanted && this.purchase(bin, costPerKg, clock, at, held)) {
      // Each purchase tops the bin up further; the loop ends full at the latest.
    }
    let left = Math.min(wanted, bin.total);
    const fed = left;
    let cost = 0;
    while (left > 0) {
      const lot = bin.lots[bin.head]!;
      const take = Math.min(left, lot.remaining);
      lot.remaining -= take;
      lot.updatedAt = at;
      cost += (take / UNITS_PER_KG) * lot.costPerKg;
      left -= take;
      if (lot.remaining === 0) bin.head++;
    }
    bin.total -= fed;
    this.lastCost = cost;
    if (!held && bin.total < REORDER_BELOW_SHARE * bin.capacity) this.purchase(bin, costPerKg, clock, at, false);
    return fed;
  }

  /** Emits every stock row with its remaining quantity. */
  finish(): void {
    for (const lot of this.lots) {
      lot.row.update({ quantity_kg: round2(lot.remaining / UNITS_PER_KG), updated_at: lot.updatedAt });
      lot.row.close();
    }
  }

  private binOf(feedContainer: FeedContainer, feedId: number): Bin {
    const key = FeedLedger.binKey(feedContainer.id, feedId);
    let bin = this.bins.get(key);
    if (!bin) {
      bin = { key, feedContainer, feedId, capacity: feedContainer.capacityKg * UNITS_PER_KG, total: 0, lots: [], head: 0 };
      this.bins.set(key, bin);
    }
    return bin;
  }

  /**
   * Buys min(capacity − stock, 80 % of capacity), or while re-orders are held back a part-load of
   * 10 %; false if the bin is already full.
   */
  private purchase(bin: Bin, costPerKg: number, clock: DayClock, at: string, partLoad: boolean): boolean {
    const room = bin.capacity - bin.total;
    const wanted = Math.min(room, (partLoad ? INCIDENT.feedShortage.partLoadShare : REORDER_FILL_SHARE) * bin.capacity);
    const quantity = Math.floor(wanted / PURCHASE_STEP_UNITS) * PURCHASE_STEP_UNITS;
    if (quantity <= 0) return false;
    const { ctx } = this;
    this.policy?.onPurchase?.(bin.key, clock.d);
    const purchaseId = ctx.ids.next('inventory_feedpurchase');
    const lotNumber = ctx.ids.used('inventory_feedpurchase');
    ctx.sink.emit('inventory_feedpurchase', {
      id: purchaseId,
      purchase_date: clock.date,
      quantity_kg: quantity / UNITS_PER_KG,
      cost_per_kg: costPerKg,
      supplier: FEED_SUPPLIER,
      batch_number: `AUTO-${ctx.plan.batchNumber}-${String(lotNumber).padStart(4, '0')}`,
      expiry_date: isoDate(clock.dayNumber + FEED_SHELF_LIFE_DAYS),
      notes: partLoad ? `Part-load for ${bin.feedContainer.name}: supplier short, re-order not placed` : `Automatic re-order for ${bin.feedContainer.name}`,
      created_at: at,
      updated_at: at,
      feed_id: bin.feedId,
    });
    const row = ctx.sink.track(
      'inventory_feedcontainerstock',
      {
        id: ctx.ids.next('inventory_feedcontainerstock'),
        quantity_kg: round2(quantity / UNITS_PER_KG),
        entry_date: at,
        created_at: at,
        updated_at: at,
        feed_container_id: bin.feedContainer.id,
        feed_purchase_id: purchaseId,
      },
      at,
    );
    const lot: Lot = { row, costPerKg, remaining: quantity, updatedAt: at };
    bin.lots.push(lot);
    this.lots.push(lot);
    bin.total += quantity;
    return true;
  }
}
