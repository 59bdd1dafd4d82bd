/**
 * The finance side of a batch:
 *
 * - `finance_core_costcenter` / `finance_core_costcenterbatchlink`: AquaMind's post_save signal on
 *   a new assignment (finance_core `ensure_cost_center_for_assignment`) gives the batch, at its
 *   first assignment, a `PRJ-<batch id>` project cost center under the `SITE-<site id>` center of
 *   the station its eggs go to, and links the batch to it. The site center is shared: the batch
 *   that reaches the station first (earliest start, then schedule order) creates it with the first
 *   cost-center ID of its block; the others refer to that ID, so batches stay independent.
 * - `finance_intercompanytransaction` at the sea transfer: the freshwater company sells the smolts
 *   to the farming company under the geography's FW→FM policy (cost-plus 15 %), priced on the
 *   feed cost of the freshwater phase; the transfer workflow points at it (finance_transaction_id).
 *   AquaMind's transfer service wanted a lifecycle-priced policy the FIN script never created, so
 *   it wrote none.
 * - `finance_factharvest` per harvest lot, on the harvested ring's area site (AquaMind used the
 *   geography's first area), with the farming company, and one `finance_intercompanytransaction`
 *   per harvest event and grade under the FM→LG policy of that grade (cost-plus 10 %), as
 *   `finance_project` makes them. Amounts are the lots' production cost (smolts plus sea feed per
 *   kg produced so far) plus the markup, in the receiving company's currency (`finance_project`
 *   left them NULL, leaving finance screens without values).
 */
import type { Area, FarmModel, Station } from '../core/model.js';
import type { BatchPlan } from '../schedule/types.js';
import type { Assignment } from './assignments.js';
import type { DayClock } from './clock.js';
import type { BatchContext } from './context.js';
import { IdBlock } from '../rows/ids.js';
import { round2 } from '../core/numbers.js';
import type { BatchState } from './state.js';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

function stationOfContainerName(farm: FarmModel, name: string | undefined): Station | undefined {
  const id = name === undefined ? undefined : farm.containerIdByName.get(name);
  const hallId = id === undefined ? null : (farm.containers.get(id)?.hallId ?? null);
  const hall = hallId === null ? undefined : farm.halls.find((h) => h.id === hallId);
  return hall ? farm.stations.find((s) => s.id === hall.stationId) : undefined;
}

function eggStation(farm: FarmModel, plan: BatchPlan): Station | undefined {
  const eggs = plan.freshwater.find((f) => f.stage === 'egg_alevin');
  return stationOfContainerName(farm, eggs?.containers[0]);
}

/** Cost centers and the batch link, on the batch's first assignment (its first egg container). */
export function emitCostCenters(ctx: BatchContext, first: Assignment, at: string): void {
  const { farm, plan, schedule } = ctx;
  const station = eggStation(farm, plan);
  if (!station) return; // not a station container: no lowercase DimSite, no cost center (AquaMind)
  const siteId = farm.finance.siteIdByStation.get(station.id);
  const companies = farm.finance.companyIds.get(station.geographyId);
  if (siteId === undefined || !companies) return;

  let creator = plan;
  for (const other of schedule.batches) {
    if (other.index === plan.index || eggStation(farm, other)?.id !== station.id) continue;
    if (other.startDate < creator.startDate || (other.startDate === creator.startDate && other.index < creator.index)) creator = other;
  }
  const ownsSite = creator.index === plan.index;
  const siteCenterId = ownsSite ? ctx.ids.next('finance_core_costcenter') : IdBlock.firstIdOf(creator.index);
  if (ownsSite) {
    ctx.sink.emit('finance_core_costcenter', {
      cost_center_id: siteCenterId,
      code: `SITE-${siteId}`,
      name: station.name,
      cost_center_type: 'SITE',
      description: 'Site cost center, created automatically when the first batch was assigned here.',
      is_active: true,
      created_at: at,
      updated_at: at,
      company_id: companies.FW,
      parent_id: null,
      site_id: siteId,
    });
  }
  const projectId = ctx.ids.next('finance_core_costcenter');
  const month = MONTHS[Number(first.assignmentDate.slice(5, 7)) - 1]!;
  ctx.sink.emit('finance_core_costcenter', {
    cost_center_id: projectId,
    code: `PRJ-${ctx.batchId}`,
    name: `${station.name}-${plan.batchNumber}:${month}`,
    cost_center_type: 'PROJECT',
    description: 'Batch project cost center, created automatically for cost allocation.',
    is_active: true,
    created_at: at,
    updated_at: at,
    company_id: companies.FW,
    parent_id: siteCenterId,
    site_id: siteId,
  });
  ctx.sink.emit('finance_core_costcenterbatchlink', {
    link_id: ctx.ids.next('finance_core_costcenterbatchlink'),
    linked_at: at,
    batch_id: ctx.batchId,
    cost_center_id: projectId,
    created_by_id: null,
  });
}

/**
 * The smolt sale at the sea transfer (FW → FM, cost-plus on the freshwater feed cost). Returns the
 * transaction's ID for the workflow's finance_transaction_id.
 */
export function emitSmoltDelivery(ctx: BatchContext, state: BatchState, workflowId: number, clock: DayClock, at: string): number {
  const { farm, geography } = ctx;
  const policies = farm.finance.policyIds.get(geography.id);
  if (!policies) throw new Error(`the farm has no intercompany policies for ${geography.name}`);
  const amount = round2(state.feedCost * (1 + farm.finance.smoltDeliveryMarkupPercent / 100));
  state.smoltValue = amount;
  state.feedCostAtSeaTransfer = state.feedCost;
  const txId = ctx.ids.next('finance_intercompanytransaction');
  ctx.sink.emit('finance_intercompanytransaction', {
    tx_id: txId,
    posting_date: clock.date,
    amount,
    currency: farm.finance.currencyByGeography.get(geography.id) ?? null,
    state: 'pending',
    created_at: at,
    updated_at: at,
    event_id: null,
    policy_id: policies.smoltDelivery,
    content_type_id: farm.contentTypeIds.batchTransferWorkflow,
    object_id: workflowId,
    approved_by_id: null,
    approval_date: null,
  });
  return txId;
}

export interface HarvestedLot {
  readonly id: number;
  readonly gradeId: number;
  readonly liveKg: number;
  readonly units: number;
}

/** Production cost per kg so far: what the smolts cost plus sea feed, over all kg grown at sea. */
export function productionCostPerKg(state: BatchState): number {
  let standingKg = 0;
  for (const a of state.active) standingKg += (a.population * state.weightG) / 1000;
  const producedKg = standingKg + state.harvestedKg;
  return producedKg > 0 ? (state.smoltValue + state.feedCost - state.feedCostAtSeaTransfer) / producedKg : 0;
}

/** Facts and intercompany transactions of one harvest event (one ring). */
export function emitHarvestFinance(
  ctx: BatchContext,
  eventId: number,
  area: Area | undefined,
  lots: readonly HarvestedLot[],
  costPerKg: number,
  clock: DayClock,
  at: string,
): void {
  const { farm, geography } = ctx;
  const companies = farm.finance.companyIds.get(geography.id);
  const siteId = area ? farm.finance.siteIdByArea.get(area.id) : undefined;
  const policies = farm.finance.policyIds.get(geography.id);
  if (!companies || siteId === undefined || !policies) throw new Error(`batch ${ctx.plan.batchNumber}: no finance dimensions for its harvest`);
  for (const lot of lots) {
    ctx.sink.emit('finance_factharvest', {
      fact_id: ctx.ids.next('finance_factharvest'),
      event_date: at,
      quantity_kg: lot.liveKg,
      unit_count: lot.units,
      dim_batch_id: ctx.batchId,
      created_at: at,
      updated_at: at,
      dim_company_id: companies.FM,
      dim_site_id: siteId,
      event_id: eventId,
      lot_id: lot.id,
      product_grade_id: lot.gradeId,
    });
  }
  const currency = farm.finance.currencyByGeography.get(geography.id) ?? null;
  const markup = 1 + farm.finance.harvestMarkupPercent / 100;
  const seen = new Set<number>();
  for (const lot of lots) {
    const policyId = policies.harvestByGrade.get(lot.gradeId);
    if (policyId === undefined || seen.has(policyId)) continue;
    seen.add(policyId);
    let kg = 0;
    for (const other of lots) if (other.gradeId === lot.gradeId) kg += other.liveKg;
    ctx.sink.emit('finance_intercompanytransaction', {
      tx_id: ctx.ids.next('finance_intercompanytransaction'),
      posting_date: clock.date,
      amount: round2(kg * costPerKg * markup),
      currency,
      state: 'pending',
      created_at: at,
      updated_at: at,
      event_id: eventId,
      policy_id: policyId,
      content_type_id: farm.contentTypeIds.harvestEvent,
      object_id: eventId,
      approved_by_id: null,
      approval_date: null,
    });
  }
}
