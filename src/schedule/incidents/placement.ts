/**
 * Which batch and containers an incident names: the batch by its number or a ladder rung label
 * (narrowed by the geography a container name implies, or by who holds the container that day),
 * the batch holding a named container when no batch is given, and the container or area checked
 * against where the batch is that day.
 */
import { feedContainerOf, geographyOfName } from '../../core/layout.js';
import { dayNumber, isoDate } from '../../core/time.js';
import type { IncidentInput, Placement } from '../incident-types.js';
import type { BatchPlan } from '../types.js';
import { incidentDay, lifeEnd } from './days.js';
import { listNames, type Resolution } from './resolution.js';
import { matchContainer, type Whereabouts } from './whereabouts.js';

/** container/area → canonical names; null after a problem. */
export function placement(res: Resolution, input: Placement, plan: BatchPlan, where: Whereabouts, at: string): { container?: string; area?: string } | null {
  if (input.container !== undefined && input.area !== undefined) {
    res.problem(`${at}.area`, input.area, 'give container or area, not both', 'remove one of them');
    return null;
  }
  if (input.area !== undefined) {
    if (!where.atSea) {
      res.problem(`${at}.area`, input.area, `batch ${plan.batchNumber} is ashore on that day (${where.place})`, 'give one of its containers, or leave area out for all of them');
      return null;
    }
    if (input.area !== where.place) {
      res.problem(`${at}.area`, input.area, `batch ${plan.batchNumber} is in ${where.place} on that day`, `use area: ${where.place}, or leave it out`);
      return null;
    }
    return { area: where.place };
  }
  if (input.container === undefined) return {};
  const feedShortage = (input as { kind?: string }).kind === 'feed-shortage';
  const container = matchContainer(input.container, where.containers, feedShortage);
  if (container === null) {
    res.problem(
      `${at}.container`,
      input.container,
      `batch ${plan.batchNumber} does not hold it on that day; it is in ${where.place}: ${listNames(where.containers)}${feedShortage ? `, fed from ${listNames([...new Set(where.containers.map(feedContainerOf))])}` : ''}`,
      'name one of those containers (the full name or its end, e.g. Ring-07 or C03), or leave container out for all of them',
    );
    return null;
  }
  return { container };
}

/** The geography code a container or area name implies (FI-… → FAR, S-… → SCO), for rung labels. */
export function geographyHint(name: string | undefined): string | null {
  return name === undefined ? null : (geographyOfName(name)?.code ?? null);
}

/**
 * The batch a reference names: its number, or a ladder rung label (`UAT-105`) that only one
 * batch ends with, in the geography a container or area name gives, or among the batches that
 * hold the named container on the incident's day.
 */
export function findBatch(res: Resolution, input: IncidentInput, at: string, geography: string | null): BatchPlan | null {
  const { batches } = res.schedule;
  const ref = input.batch as string;
  const exact = batches.find((b) => b.batchNumber === ref);
  if (exact) return exact;
  let rung = batches.filter((b) => b.batchNumber.endsWith(`-${ref}`) && (geography === null || b.batchNumber.startsWith(`${geography}-`)));
  const container = input.kind === 'harvest-overdue' ? undefined : input.container;
  if (rung.length > 1 && container !== undefined) {
    const holding = rung.filter((plan) => {
      const day = res.quietly(() => incidentDay(res, input.day, plan, ''));
      const d = day === null ? -1 : day - dayNumber(plan.startDate);
      return d >= 0 && matchContainer(container, res.whereabouts(plan, d).containers, input.kind === 'feed-shortage') !== null;
    });
    if (holding.length > 0) rung = holding;
  }
  if (rung.length === 1) return rung[0] as BatchPlan;
  if (rung.length > 1) {
    res.problem(`${at}.batch`, ref, `the rung label matches ${rung.map((b) => b.batchNumber).join(' and ')}`, `name the batch number, e.g. ${rung[0]?.batchNumber}`);
    return null;
  }
  res.problem(`${at}.batch`, ref, `no such batch in the schedule (batches: ${listNames(batches.map((b) => b.batchNumber))})`, 'use a batch number from the schedule (`aquaseed plan <preset>` lists them), or a ladder rung label such as UAT-105');
  return null;
}

/** The only batch holding `container` on day `dayNumberOf`. */
export function batchHolding(res: Resolution, container: string, dayNumberOf: number, at: string): BatchPlan | null {
  const holders = res.schedule.batches.filter((plan) => {
    const d = dayNumberOf - dayNumber(plan.startDate);
    return d >= 0 && d <= lifeEnd(res, plan) && res.whereabouts(plan, d).containers.includes(container);
  });
  if (holders.length === 1) return holders[0] as BatchPlan;
  res.problem(
    `${at}.container`,
    container,
    holders.length === 0 ? `no batch holds it on ${isoDate(dayNumberOf)}` : `${holders.length} batches hold it on ${isoDate(dayNumberOf)}`,
    'give batch (and a container it holds that day), or the full name of a container in use that day',
  );
  return null;
}
