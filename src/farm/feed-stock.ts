/**
 * The opening feed stock: one inventory_feedpurchase and one inventory_feedcontainerstock per feed
 * container, as AquaMind's `_ensure_feed_inventory` wrote when the stock was empty. Silos hold the
 * first Starter feed (0.5 mm), barges the first Finisher feed (4.5 mm). Dated the farm's
 * establishment day instead of "real today − 30 days", so the stock exists before any batch starts.
 *
 * ID order: purchase i and stock i belong to the i-th feed container in ID order (silos, then barges).
 */
import type { RowSink } from '../rows/sink.js';
import { addDays, timestamp } from '../core/time.js';
import type { FarmModel, Feed, FeedContainer } from '../core/model.js';
import { feedContainersInIdOrder } from './infrastructure-rows.js';
import { auditStamp } from '../rows/audit.js';
import { lookup } from './catalog.js';

interface OpeningStock {
  feedNameContains: string;
  quantityKg: number;
  costPerKg: number;
}

const OPENING_STOCK: Readonly<Record<FeedContainer['kind'], OpeningStock>> = {
  SILO: { feedNameContains: 'Starter', quantityKg: 5_000, costPerKg: 2.5 },
  BARGE: { feedNameContains: 'Finisher', quantityKg: 25_000, costPerKg: 2.0 },
};

/** Rotated by 1-based container position, so the first container buys from Skretting, as in AquaMind. */
const SUPPLIERS = ['BioMar', 'Skretting', 'Cargill', 'Aller Aqua'] as const;
const SHELF_LIFE_DAYS = 365;

function firstFeedNamed(farm: FarmModel, part: string): Feed {
  const feeds = [...farm.feeds].sort((a, b) => a.id - b.id);
  return lookup(feeds, (f) => f.name.includes(part), `feed containing ${part}`);
}

/** inventory_feedpurchase and inventory_feedcontainerstock */
export function emitOpeningFeedStock(farm: FarmModel, sink: RowSink): void {
  const stamp = auditStamp(farm.establishedOn);
  const purchaseDate = farm.establishedOn;
  const lotDate = purchaseDate.replaceAll('-', '');
  const containers = feedContainersInIdOrder(farm);
  containers.forEach((container, index) => {
    const position = index + 1;
    const stock = OPENING_STOCK[container.kind];
    sink.emit('inventory_feedpurchase', {
      id: position,
      purchase_date: purchaseDate,
      quantity_kg: stock.quantityKg,
      cost_per_kg: stock.costPerKg,
      supplier: SUPPLIERS[position % SUPPLIERS.length] ?? SUPPLIERS[0],
      batch_number: `INIT-${lotDate}-${String(position).padStart(4, '0')}`,
      expiry_date: addDays(purchaseDate, SHELF_LIFE_DAYS),
      notes: `Initial inventory for ${container.name}`,
      ...stamp,
      feed_id: firstFeedNamed(farm, stock.feedNameContains).id,
    });
  });
  containers.forEach((container, index) => {
    sink.emit('inventory_feedcontainerstock', {
      id: index + 1,
      quantity_kg: OPENING_STOCK[container.kind].quantityKg,
      entry_date: timestamp(purchaseDate, '00:00'),
      ...stamp,
      feed_container_id: container.id,
      feed_purchase_id: index + 1,
    });
  });
}
