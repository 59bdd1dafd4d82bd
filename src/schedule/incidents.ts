/**
 * Incidents: domain situations a test can name ("a lice outbreak in FI-SEA-01 that needs
 * treatment", "an oxygen drop in ring 7 yesterday"), listed under `incidents:` in a preset or a
 * schedule, or passed to seedFarm({ incidents }). docs/incidents.md describes each kind and the rows
 * it writes; src/engine/incidents/ writes them.
 *
 * What a user writes (`IncidentInput`) is resolved here against the planned batches into the
 * schedule's canonical form (`Incident`): the batch by its number, the day as a date, the
 * container by its full name, every parameter with its default filled in. Resolution refuses what
 * the engine could not honour (an unknown batch, a container the batch does not hold that day, a
 * day outside the batch's life, lice at sea only, …), naming the field path and the fix.
 */
import { z } from 'zod';
import { AquaseedError } from '../core/errors.js';
import { dayNumber, isoDate } from '../core/time.js';
import { INCIDENT, SENSOR_SAFE_RANGE } from '../core/tuning.js';
import { campaignDays, lastHarvestDay, stageOrderOn } from './harvest-window.js';
import { resolveDate, isIsoDate, isRelativeDate, type Clock } from './dates.js';
import type { BatchPlan, Schedule } from './types.js';

import { MORTALITY_REASON_NAMES, type Incident, type IncidentDay, type IncidentInput, type IncidentKind, type IncidentOf, type Placement } from './incident-types.js';

const DOCS = 'docs/incidents.md';

const day = z.preprocess(
  (value) => (value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString().slice(0, 10) : value),
  z.union([
    z.number().int().min(0).max(10_000),
    z
      .string()
      .refine(
        (value) => isIsoDate(value) || isRelativeDate(value) || /^asOf(?:-\d{1,4}d)?$/.test(value),
        'expected a date (2025-11-19), asOf, asOf-<n>d, today-<n>d, or a batch day (a number)',
      ),
  ]),
);
const name = z.string().min(1).max(100);
const hour = z.string().regex(/^(?:[01]\d|2[0-3]):00$/, 'expected a whole hour HH:00, e.g. 10:00');
const hours = z.number().int().min(1).max(24);
const placement = { batch: name.optional(), container: name.optional(), area: name.optional(), day };

/** The shape of one incident (semantics are checked by resolveIncidents). */
export const incidentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('lice-outbreak'), ...placement, untreated: z.boolean().optional() }).strict(),
  z
    .object({ kind: z.literal('oxygen-drop'), ...placement, from: hour.optional(), hours: hours.optional(), minPercent: z.number().min(0).max(100).optional() })
    .strict(),
  z.object({ kind: z.literal('temperature-spike'), ...placement, from: hour.optional(), hours: hours.optional(), peakC: z.number().min(-5).max(40).optional() }).strict(),
  z.object({ kind: z.literal('mortality-spike'), ...placement, cause: z.enum(MORTALITY_REASON_NAMES), share: z.number().gt(0).max(1).optional() }).strict(),
  z.object({ kind: z.literal('disease'), ...placement, disease: name.optional() }).strict(),
  z.object({ kind: z.literal('harvest-overdue'), batch: name, day }).strict(),
  z.object({ kind: z.literal('feed-shortage'), ...placement, days: z.number().int().min(1).max(3650).optional() }).strict(),
]);

export const incidentsSchema = z.array(incidentSchema).max(1000);

/** Where a batch is on one of its days. */
export interface Whereabouts {
  /** Batch-relative day. */
  d: number;
  order: number;
  atSea: boolean;
  /** Containers holding the batch's fish that day, in plan order. */
  containers: readonly string[];
  /** The sea area (at sea) or the hall (ashore). */
  place: string;
}

/** The feed container (silo or barge) a holding container draws from: the hall's silo, the barge serving the ring's third of the area. */
export function feedContainerOf(container: string): string {
  const tank = /^(.*-FW-\d{2})-([A-E])-C\d{2}$/.exec(container);
  if (tank) return `${tank[1]}-${tank[2]}-Silo`;
  const ring = /^(.*-SEA-\d{2})-Ring-(\d{2})$/.exec(container);
  if (ring) return `${ring[1]}-Barge-${Math.floor(((Number(ring[2]) - 1) * BARGES_PER_AREA) / RINGS_IN_AREA) + 1}`;
  throw new RangeError(`not a holding container name: ${container}`);
}
const BARGES_PER_AREA = 3;
const RINGS_IN_AREA = 20;

/** Context of one schedule's resolution. */
class Resolver {
  private readonly asOf: number;
  private readonly problems: { text: string; fix: string }[] = [];
  /** Batches whose harvest waits past asOf (harvest-overdue): they stay in the water until then. */
  private readonly heldPastAsOf = new Set<string>();

  constructor(
    private readonly schedule: Pick<Schedule, 'asOf' | 'stageDays' | 'adultMaxDays' | 'batches'>,
    private readonly clock: Clock | undefined,
  ) {
    this.asOf = dayNumber(schedule.asOf);
  }

  resolveAll(inputs: readonly IncidentInput[], source: string, pathOf: (i: number) => string): Incident[] {
    // Harvest-overdue first: it decides how long its batch lives for every other incident.
    inputs.forEach((input, i) => {
      if (input.kind !== 'harvest-overdue') return;
      const plan = this.findBatch(input, pathOf(i), null);
      // Reported when the incident itself resolves.
      this.problems.length = 0;
      if (plan) this.heldPastAsOf.add(plan.batchNumber);
    });
    const out: Incident[] = [];
    const seen = new Map<string, number>();
    inputs.forEach((input, i) => {
      const at = pathOf(i);
      const incident = this.resolve(input, at);
      if (!incident) return;
      // One harvest-overdue and one feed-shortage per batch: each changes the batch as a whole.
      if (incident.kind === 'harvest-overdue' || incident.kind === 'feed-shortage') {
        const key = `${incident.kind} ${incident.batch}`;
        const first = seen.get(key);
        if (first !== undefined) {
          this.problem(`${at}.kind`, incident.kind, `batch ${incident.batch} already has a ${incident.kind} (${pathOf(first)})`, 'keep one per batch');
          return;
        }
        seen.set(key, i);
      }
      out.push(incident);
    });
    const [only] = this.problems;
    if (only && this.problems.length === 1) {
      throw new AquaseedError('AQUASEED_INVALID_SCHEDULE', `${source}: ${only.text}`, `${only.fix} (see ${DOCS})`);
    }
    if (this.problems.length > 1) {
      const shown = this.problems.slice(0, 5).map((p) => `${p.text} (fix: ${p.fix})`);
      const more = this.problems.length > shown.length ? `\n  … and ${this.problems.length - shown.length} more` : '';
      throw new AquaseedError(
        'AQUASEED_INVALID_SCHEDULE',
        `${source}: ${this.problems.length} incident problems:\n  ${shown.join('\n  ')}${more}`,
        `fix each incident as its line says (see ${DOCS} for every kind, its fields and when it can happen)`,
      );
    }
    return out;
  }

  private resolve(input: IncidentInput, at: string): Incident | null {
    const hint = input.kind === 'harvest-overdue' ? null : geographyHint(input.container ?? input.area);
    let plan = input.batch === undefined ? null : this.findBatch(input, at, hint);
    if (input.batch !== undefined && !plan) return null;
    const dayNumberOf = this.day(input.day, plan, `${at}.day`);
    if (dayNumberOf === null) return null;
    if (!plan) {
      if (input.kind === 'harvest-overdue' || input.container === undefined) {
        this.problem(`${at}.batch`, undefined, 'an incident needs its batch', 'give batch (a batch number, or a ladder rung label such as UAT-105), or a container only one batch holds that day');
        return null;
      }
      plan = this.batchHolding(input.container, dayNumberOf, at);
      if (!plan) return null;
    }
    const start = dayNumber(plan.startDate);
    const d = dayNumberOf - start;
    const lifeEnd = this.lifeEnd(plan);
    const life = `batch ${plan.batchNumber} lives from ${plan.startDate} to ${isoDate(start + lifeEnd)}${lifeEnd === this.asOf - start ? ` (asOf)` : ' (its earliest possible harvest starts the next day)'}`;
    if (d < 0 || d > lifeEnd) {
      this.problem(`${at}.day`, input.day, `${isoDate(dayNumberOf)} is outside the batch's life: ${life}`, `pick a day from ${plan.startDate} to ${isoDate(start + lifeEnd)}`);
      return null;
    }
    const where = this.whereabouts(plan, d);
    const base = { batch: plan.batchNumber, day: isoDate(dayNumberOf) };
    if (input.kind === 'harvest-overdue') return this.harvestOverdue(plan, where, base, at);
    const placed = this.placement(input, plan, where, at);
    if (!placed) return null;
    const stageName = STAGE_NAMES[where.order - 1];
    switch (input.kind) {
      case 'lice-outbreak': {
        if (!where.atSea) {
          this.problem(`${at}.day`, input.day, `batch ${plan.batchNumber} is in ${stageName} ashore on ${base.day}; sea lice live at sea`, this.seaFix(plan, lifeEnd));
          return null;
        }
        const untreated = input.untreated ?? false;
        if (!untreated && d + 1 > lifeEnd) {
          this.problem(`${at}.day`, input.day, `the bath treatment would fall on ${isoDate(start + d + 1)}, after the batch's last day (${life})`, 'pick an earlier day, or set untreated: true');
          return null;
        }
        return { kind: 'lice-outbreak', ...base, ...placed, untreated };
      }
      case 'oxygen-drop':
      case 'temperature-spike': {
        const from = input.from ?? INCIDENT.sensor.defaultFrom;
        const length = input.hours ?? INCIDENT.sensor.defaultHours;
        if (Number(from.slice(0, 2)) + length > 24) {
          this.problem(`${at}.hours`, length, `from ${from} for ${length} hours runs past midnight`, `give at most ${24 - Number(from.slice(0, 2))} hours, or start earlier`);
          return null;
        }
        if (input.kind === 'oxygen-drop') {
          const minPercent = input.minPercent ?? INCIDENT.sensor.defaultMinOxygenPercent;
          const safe = SENSOR_SAFE_RANGE.oxygenPercent;
          if (minPercent >= safe.min - 2 || minPercent < 10) {
            this.problem(`${at}.minPercent`, minPercent, `an oxygen drop must fall below the safe range (${safe.min}-${safe.max} %)`, `give a minPercent from 10 to below ${safe.min - 2}`);
            return null;
          }
          return { kind: 'oxygen-drop', ...base, ...placed, from, hours: length, minPercent };
        }
        const safe = SENSOR_SAFE_RANGE.temperatureC[where.atSea ? 'sea' : 'freshwater'];
        const peakC = input.peakC ?? safe.max + INCIDENT.sensor.defaultExcessC;
        if (peakC <= safe.max + 0.5 || peakC > 35) {
          this.problem(
            `${at}.peakC`,
            peakC,
            `a temperature spike must rise above the safe range (${safe.min}-${safe.max} °C ${where.atSea ? 'at sea' : 'in freshwater'}, where the batch is on ${base.day})`,
            `give a peakC above ${safe.max + 0.5}, at most 35`,
          );
          return null;
        }
        return { kind: 'temperature-spike', ...base, ...placed, from, hours: length, peakC };
      }
      case 'mortality-spike': {
        const share = input.share ?? INCIDENT.mortality.defaultShare;
        if (share > INCIDENT.mortality.maxShare) {
          this.problem(`${at}.share`, share, `more than ${INCIDENT.mortality.maxShare * 100} % of the fish would die`, `give a share up to ${INCIDENT.mortality.maxShare}`);
          return null;
        }
        return { kind: 'mortality-spike', ...base, ...placed, cause: input.cause, share };
      }
      case 'disease':
        if (where.order < 2) {
          this.problem(`${at}.day`, input.day, `batch ${plan.batchNumber} is in Egg&Alevin on ${base.day}: no fish to sample yet`, `pick a day from its first Fry day (${isoDate(start + this.schedule.stageDays)}) on`);
          return null;
        }
        return { kind: 'disease', ...base, ...placed, disease: input.disease ?? INCIDENT.disease.defaultName };
      case 'feed-shortage':
        if (where.order < 2) {
          this.problem(`${at}.day`, input.day, `batch ${plan.batchNumber} is in Egg&Alevin on ${base.day}: it is not fed yet`, `pick a day from its first Fry day (${isoDate(start + this.schedule.stageDays)}) on`);
          return null;
        }
        return { kind: 'feed-shortage', ...base, ...placed, days: input.days ?? this.asOf - dayNumberOf + 1 };
    }
  }

  private harvestOverdue(plan: BatchPlan, where: Whereabouts, base: { batch: string; day: string }, at: string): Incident | null {
    const start = dayNumber(plan.startDate);
    const seaDay = 5 * this.schedule.stageDays;
    if (!where.atSea || !plan.sea) {
      this.problem(`${at}.day`, base.day, `batch ${plan.batchNumber} is ashore on ${base.day}; only a batch at sea is harvested`, this.seaFix(plan, this.lifeEnd(plan)));
      return null;
    }
    const asOfD = this.asOf - start;
    const forcedFrom = seaDay + this.schedule.adultMaxDays - campaignDays(plan.sea.rings.length) + 1;
    if (asOfD >= forcedFrom) {
      this.problem(
        `${at}.batch`,
        plan.batchNumber,
        `on asOf the batch is past its Adult limit (${this.schedule.adultMaxDays} days at sea, harvest forced from ${isoDate(start + forcedFrom)}): it cannot still be in the water`,
        'pick a batch that went to sea less than adultMaxDays before asOf',
      );
      return null;
    }
    if (plan.sea.endDay <= asOfD) {
      this.problem(
        `${at}.batch`,
        plan.batchNumber,
        `its rings are booked until ${isoDate(start + plan.sea.endDay)} (sea.endDay ${plan.sea.endDay}), but an overdue harvest keeps the fish in them through asOf`,
        `plan the incident in the preset (the planner then books the rings through asOf), or set sea.endDay to at least ${asOfD + 1} if no other batch holds those rings then`,
      );
      return null;
    }
    return { kind: 'harvest-overdue', ...base };
  }

  /** Where to move an incident that needs the sea. */
  private seaFix(plan: BatchPlan, lifeEnd: number): string {
    const start = dayNumber(plan.startDate);
    const seaDay = 5 * this.schedule.stageDays;
    return seaDay <= lifeEnd
      ? `pick a day from its sea transfer (${isoDate(start + seaDay)}) to ${isoDate(start + lifeEnd)}`
      : `the batch reaches the sea only on ${isoDate(start + seaDay)}, after ${isoDate(start + lifeEnd)}: pick a batch at sea then`;
  }

  /** container/area → canonical names; null after a problem. */
  private placement(input: Placement, plan: BatchPlan, where: Whereabouts, at: string): { container?: string; area?: string } | null {
    if (input.container !== undefined && input.area !== undefined) {
      this.problem(`${at}.area`, input.area, 'give container or area, not both', 'remove one of them');
      return null;
    }
    if (input.area !== undefined) {
      if (!where.atSea) {
        this.problem(`${at}.area`, input.area, `batch ${plan.batchNumber} is ashore on that day (${where.place})`, 'give one of its containers, or leave area out for all of them');
        return null;
      }
      if (input.area !== where.place) {
        this.problem(`${at}.area`, input.area, `batch ${plan.batchNumber} is in ${where.place} on that day`, `use area: ${where.place}, or leave it out`);
        return null;
      }
      return { area: where.place };
    }
    if (input.container === undefined) return {};
    const container = matchContainer(input.container, where.containers, (input as { kind?: string }).kind === 'feed-shortage');
    if (container === null) {
      this.problem(
        `${at}.container`,
        input.container,
        `batch ${plan.batchNumber} does not hold it on that day; it is in ${where.place}: ${listNames(where.containers)}${(input as { kind?: string }).kind === 'feed-shortage' ? `, fed from ${listNames([...new Set(where.containers.map(feedContainerOf))])}` : ''}`,
        'name one of those containers (the full name or its end, e.g. Ring-07 or C03), or leave container out for all of them',
      );
      return null;
    }
    return { container };
  }

  /**
   * The batch a reference names: its number, or a ladder rung label (`UAT-105`) that only one
   * batch ends with, in the geography a container or area name gives, or among the batches that
   * hold the named container on the incident's day.
   */
  private findBatch(input: IncidentInput, at: string, geography: string | null): BatchPlan | null {
    const ref = input.batch as string;
    const exact = this.schedule.batches.find((b) => b.batchNumber === ref);
    if (exact) return exact;
    let rung = this.schedule.batches.filter((b) => b.batchNumber.endsWith(`-${ref}`) && (geography === null || b.batchNumber.startsWith(`${geography}-`)));
    const container = input.kind === 'harvest-overdue' ? undefined : input.container;
    if (rung.length > 1 && container !== undefined) {
      const holding = rung.filter((plan) => {
        const day = this.dayQuietly(input.day, plan);
        const d = day === null ? -1 : day - dayNumber(plan.startDate);
        return d >= 0 && matchContainer(container, this.whereabouts(plan, d).containers, input.kind === 'feed-shortage') !== null;
      });
      if (holding.length > 0) rung = holding;
    }
    if (rung.length === 1) return rung[0] as BatchPlan;
    if (rung.length > 1) {
      this.problem(`${at}.batch`, ref, `the rung label matches ${rung.map((b) => b.batchNumber).join(' and ')}`, `name the batch number, e.g. ${rung[0]?.batchNumber}`);
      return null;
    }
    this.problem(`${at}.batch`, ref, `no such batch in the schedule (batches: ${listNames(this.schedule.batches.map((b) => b.batchNumber))})`, 'use a batch number from the schedule (`aquaseed plan <preset>` lists them), or a ladder rung label such as UAT-105');
    return null;
  }

  /** The incident's day for `plan`, or null if it does not resolve (the real resolution reports why). */
  private dayQuietly(value: IncidentDay, plan: BatchPlan): number | null {
    const problems = this.problems.length;
    const day = this.day(value, plan, '');
    this.problems.length = problems;
    return day;
  }

  /** The only batch holding `container` on day `dayNumberOf`. */
  private batchHolding(container: string, dayNumberOf: number, at: string): BatchPlan | null {
    const holders = this.schedule.batches.filter((plan) => {
      const d = dayNumberOf - dayNumber(plan.startDate);
      return d >= 0 && d <= this.lifeEnd(plan) && this.whereabouts(plan, d).containers.includes(container);
    });
    if (holders.length === 1) return holders[0] as BatchPlan;
    this.problem(
      `${at}.container`,
      container,
      holders.length === 0 ? `no batch holds it on ${isoDate(dayNumberOf)}` : `${holders.length} batches hold it on ${isoDate(dayNumberOf)}`,
      'give batch (and a container it holds that day), or the full name of a container in use that day',
    );
    return null;
  }

  /** The incident's day as a day number; null after a problem. */
  private day(value: IncidentDay, plan: BatchPlan | null, at: string): number | null {
    if (typeof value === 'number') {
      if (!plan) {
        this.problem(at, value, 'a batch day needs the batch it counts from', 'give batch, or a date');
        return null;
      }
      return dayNumber(plan.startDate) + value;
    }
    const relative = /^asOf(?:-(\d{1,4})d)?$/.exec(value);
    if (relative) return this.asOf - Number(relative[1] ?? 0);
    try {
      return dayNumber(resolveDate(value, at, this.clock));
    } catch (error) {
      this.problem(at, value, (error as Error).message, 'give a date (2025-11-19), asOf, asOf-<n>d or a batch day');
      return null;
    }
  }

  /**
   * The batch's last day an incident may fall on: asOf, or for a batch that may be harvested by
   * then, the day before its earliest possible harvest (a ring may be empty from that day on).
   */
  lifeEnd(plan: BatchPlan): number {
    const start = dayNumber(plan.startDate);
    const end = this.asOf - start;
    if (!plan.sea || this.heldPastAsOf.has(plan.batchNumber)) return end;
    const rings = plan.sea.rings.length;
    const input = {
      geography: plan.geography,
      startDay: start,
      stageDays: this.schedule.stageDays,
      adultMaxDays: this.schedule.adultMaxDays,
      harvestTargetKg: plan.harvestTargetKg,
      rings,
    };
    const earliestCampaign = lastHarvestDay(input, 'best') - campaignDays(rings) + 1;
    return Math.min(end, earliestCampaign - 1);
  }

  whereabouts(plan: BatchPlan, d: number): Whereabouts {
    return whereabouts(plan, this.schedule.stageDays, d);
  }

  private problem(path: string, value: unknown, what: string, fix: string): void {
    this.problems.push({ text: `${path}${value === undefined ? '' : ` = ${JSON.stringify(value)}`}: ${what}`, fix });
  }
}

/** Where the batch is on batch day `d`: its stage and the containers holding its fish (from the plan). */
export function whereabouts(plan: BatchPlan, stageDays: number, d: number): Whereabouts {
  const order = stageOrderOn(d, stageDays);
  if (order === 6) {
    const sea = plan.sea;
    return { d, order, atSea: true, containers: sea ? sea.rings : [], place: sea ? sea.area : '(no sea allocation)' };
  }
  const allocation = plan.freshwater.find((f) => f.startDay <= d && d < f.endDay);
  return { d, order, atSea: false, containers: allocation?.containers ?? [], place: allocation?.hall ?? '(no hall allocated)' };
}

/**
 * The holding containers an incident touches on its day: the one it names, every ring of its area,
 * or every container of the batch. A feed shortage named by its silo or barge touches the
 * containers fed from it.
 */
export function incidentContainers(incident: Incident, plan: BatchPlan, stageDays: number): string[] {
  const where = whereabouts(plan, stageDays, dayNumber(incident.day) - dayNumber(plan.startDate));
  const named = 'container' in incident ? incident.container : undefined;
  if (named === undefined) return [...where.containers];
  if (where.containers.includes(named)) return [named];
  return where.containers.filter((container) => feedContainerOf(container) === named);
}

const STAGE_NAMES = ['Egg&Alevin', 'Fry', 'Parr', 'Smolt', 'Post-Smolt', 'Adult'] as const;

/** A container name, or the unique container whose name ends with `-<value>`. */
function matchContainer(value: string, held: readonly string[], feedContainers: boolean): string | null {
  const candidates = feedContainers ? [...held, ...new Set(held.map(feedContainerOf))] : [...held];
  if (candidates.includes(value)) return value;
  const suffix = candidates.filter((name) => name.endsWith(`-${value}`));
  return suffix.length === 1 ? (suffix[0] as string) : null;
}

/** The geography code a container or area name implies (FI-… → FAR, S-… → SCO), for rung labels. */
function geographyHint(name: string | undefined): string | null {
  if (name === undefined) return null;
  if (name.startsWith('FI-')) return 'FAR';
  if (name.startsWith('S-')) return 'SCO';
  return null;
}

/** `A, B, C` or `A … Z (20)`. */
function listNames(names: readonly string[]): string {
  if (names.length === 0) return '(none)';
  if (names.length <= 6) return names.join(', ');
  return `${names[0]} … ${names[names.length - 1]} (${names.length})`;
}

/**
 * Resolves incidents against a schedule's batches: canonical incidents, or an AquaseedError listing
 * the problems by field path (`incidents[1].container = "Ring-21": …; fix`). `pathOf(i)` names the
 * i-th incident in the caller's input (default `incidents[i]`).
 */
export function resolveIncidents(
  schedule: Pick<Schedule, 'asOf' | 'stageDays' | 'adultMaxDays' | 'batches'>,
  inputs: readonly IncidentInput[],
  source: string,
  options: { clock?: Clock; pathOf?: (i: number) => string } = {},
): Incident[] {
  return new Resolver(schedule, options.clock).resolveAll(inputs, source, options.pathOf ?? ((i) => `incidents[${i}]`));
}

/** The batch numbers a preset's harvest-overdue incidents name, matched against the planned batch numbers. */
export function overdueHarvestBatches(inputs: readonly IncidentInput[], batchNumbers: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const input of inputs) {
    if (input.kind !== 'harvest-overdue') continue;
    const exact = batchNumbers.find((n) => n === input.batch);
    const rung = batchNumbers.filter((n) => n.endsWith(`-${input.batch}`));
    const found = exact ?? (rung.length === 1 ? rung[0] : undefined);
    if (found) out.add(found);
  }
  return out;
}

/** The schedule with its incidents, placed before the (long) batch list so a schedule file shows them first. */
export function withIncidents(schedule: Schedule, incidents: Incident[]): Schedule {
  const { batches, incidents: _old, ...head } = schedule;
  return { ...head, incidents, batches };
}
