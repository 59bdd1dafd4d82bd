/**
 * `batch_batchcontainerassignment`: one per container per stage, tracked over its life
 * (rows/history.ts): the `+` row when the fish arrive (the fish received, at their weight), a `~`
 * row when they leave (transfer or harvest: is_active false, departure_date that day, the
 * population and biomass that left). AquaMind also re-saved every assignment after each day's
 * mortality and growth; those saves change only the numbers the event tables already hold and are
 * not recorded as history, but the base row of an assignment still holding fish at the farm's
 * "now" has its current numbers and the time of its last such save as updated_at.
 *
 * An assignment also carries the day's tallies the daily steps share (deaths, feed, the growth
 * sample's mean): the daily states and feeding summaries are computed from them in the same pass.
 */
import type { Container, Stage } from '../core/model.js';
import type { DayClock } from './clock.js';
import type { BatchContext } from './context.js';
import type { TrackedRow } from '../rows/history.js';
import { round2 } from '../core/numbers.js';

/** Days of feed the rolling FCR window covers: [date − 30, date], both ends included. */
export const FEED_WINDOW_DAYS = 31;

export interface Assignment {
  readonly id: number;
  readonly container: Container;
  readonly stage: Stage;
  readonly assignmentDate: string;
  /** Batch day the assignment opened. */
  readonly openedOnDay: number;
  readonly createdAt: string;
  /** When AquaMind last saved it (its arrival, the day's mortality, the day's growth). */
  savedAt: string;
  /** The row and its recorded changes. */
  readonly row: TrackedRow<'batch_batchcontainerassignment'>;
  /** Fish in the container now; after departure, the fish that left. */
  population: number;
  departureDate: string | null;
  lastWeighingDate: string | null;
  /** Today's tallies, reset at the start of each simulated day. */
  deathsToday: number;
  feedTodayKg: number;
  /** Mean weight of today's growth sample, or NaN when none was taken. */
  sampleMeanTodayG: number;
  /** Biomass (kg) at the end of the previous day (at arrival on the first day). */
  previousBiomassKg: number;
  /** Feed (kg) of the last FEED_WINDOW_DAYS days, a ring buffer indexed by batch day. */
  readonly feedWindow: Float64Array;
}

/** Clears the day's tallies (the batch loop calls this before the day's steps). */
export function startAssignmentDay(a: Assignment, d: number): void {
  a.deathsToday = 0;
  a.feedTodayKg = 0;
  a.sampleMeanTodayG = Number.NaN;
  a.feedWindow[d % FEED_WINDOW_DAYS] = 0;
}

export function openAssignment(
  ctx: BatchContext,
  container: Container,
  stage: Stage,
  population: number,
  weightG: number,
  clock: DayClock,
  time: string,
): Assignment {
  const id = ctx.ids.next('batch_batchcontainerassignment');
  const createdAt = clock.stamp(time);
  const row = ctx.sink.track(
    'batch_batchcontainerassignment',
    assignmentRow(ctx, id, container, stage, clock.date, population, weightG, true, null, null, createdAt, createdAt),
    createdAt,
  );
  return {
    id,
    container,
    stage,
    assignmentDate: clock.date,
    openedOnDay: clock.d,
    createdAt,
    savedAt: createdAt,
    row,
    population,
    departureDate: null,
    lastWeighingDate: null,
    deathsToday: 0,
    feedTodayKg: 0,
    sampleMeanTodayG: Number.NaN,
    previousBiomassKg: (population * weightG) / 1000,
    feedWindow: new Float64Array(FEED_WINDOW_DAYS),
  };
}

/** The fish left the container today: the departure is a recorded change; the row is final. */
export function closeAssignment(a: Assignment, weightG: number, clock: DayClock, time: string): void {
  a.departureDate = clock.date;
  a.row.change({ ...numbers(a, weightG), is_active: false, departure_date: a.departureDate }, clock.stamp(time));
  a.row.close();
}

/** The run ends at "now" with fish still in the container: its current numbers, as last saved. */
export function closeActiveAssignment(a: Assignment, weightG: number): void {
  a.row.update({ ...numbers(a, weightG), updated_at: a.savedAt });
  a.row.close();
}

function numbers(a: Assignment, weightG: number) {
  return {
    population_count: a.population,
    biomass_kg: round2((a.population * weightG) / 1000),
    avg_weight_g: round2(weightG),
    last_weighing_date: a.lastWeighingDate,
  };
}

function assignmentRow(
  ctx: BatchContext,
  id: number,
  container: Container,
  stage: Stage,
  assignmentDate: string,
  population: number,
  weightG: number,
  isActive: boolean,
  departureDate: string | null,
  lastWeighingDate: string | null,
  createdAt: string,
  updatedAt: string,
) {
  return {
    id,
    population_count: population,
    biomass_kg: round2((population * weightG) / 1000),
    assignment_date: assignmentDate,
    is_active: isActive,
    notes: '',
    created_at: createdAt,
    updated_at: updatedAt,
    batch_id: ctx.batchId,
    container_id: container.id,
    lifecycle_stage_id: stage.id,
    avg_weight_g: round2(weightG),
    departure_date: departureDate,
    last_weighing_date: lastWeighingDate,
  };
}
