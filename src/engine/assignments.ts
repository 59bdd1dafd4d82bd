/**
 * `batch_batchcontainerassignment`: one per container per stage. Rows are emitted once, with their
 * final state: when the fish leave (transfer or harvest: is_active false, departure_date that day,
 * the population and biomass that left) or at the end of the run for those still holding fish.
 * The `+` history row is written when the assignment opens, with the state it was created in.
 *
 * An assignment also carries the day's tallies the daily steps share (deaths, feed, the growth
 * sample's mean): the daily states and feeding summaries are computed from them in the same pass.
 */
import type { Container, Stage } from '../core/model.js';
import type { DayClock } from './clock.js';
import type { BatchContext } from './context.js';
import { emitCreated } from '../rows/history.js';
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
  const a: Assignment = {
    id: ctx.ids.next('batch_batchcontainerassignment'),
    container,
    stage,
    assignmentDate: clock.date,
    openedOnDay: clock.d,
    createdAt: clock.stamp(time),
    population,
    departureDate: null,
    lastWeighingDate: null,
    deathsToday: 0,
    feedTodayKg: 0,
    sampleMeanTodayG: Number.NaN,
    previousBiomassKg: (population * weightG) / 1000,
    feedWindow: new Float64Array(FEED_WINDOW_DAYS),
  };
  emitCreated(ctx.sink, ctx.historyIds, 'batch_batchcontainerassignment', assignmentRow(ctx, a, weightG, true, a.createdAt), a.createdAt);
  return a;
}

/** The fish left the container today: record the departure and emit the final row. */
export function closeAssignment(ctx: BatchContext, a: Assignment, weightG: number, clock: DayClock, time: string): void {
  a.departureDate = clock.date;
  emitAssignment(ctx, a, weightG, false, clock.stamp(time));
}

/** The run ends with fish still in the container: emit it active, as of `updatedAt`. */
export function emitActiveAssignment(ctx: BatchContext, a: Assignment, weightG: number, updatedAt: string): void {
  emitAssignment(ctx, a, weightG, true, updatedAt);
}

function emitAssignment(ctx: BatchContext, a: Assignment, weightG: number, isActive: boolean, updatedAt: string): void {
  ctx.sink.emit('batch_batchcontainerassignment', assignmentRow(ctx, a, weightG, isActive, updatedAt));
}

function assignmentRow(ctx: BatchContext, a: Assignment, weightG: number, isActive: boolean, updatedAt: string) {
  return {
    id: a.id,
    population_count: a.population,
    biomass_kg: round2((a.population * weightG) / 1000),
    assignment_date: a.assignmentDate,
    is_active: isActive,
    notes: '',
    created_at: a.createdAt,
    updated_at: updatedAt,
    batch_id: ctx.batchId,
    container_id: a.container.id,
    lifecycle_stage_id: a.stage.id,
    avg_weight_g: round2(weightG),
    departure_date: a.departureDate,
    last_weighing_date: a.lastWeighingDate,
  };
}
