/**
 * `batch_batchcontainerassignment`: one per container per stage. Rows are emitted once, with their
 * final state: when the fish leave (transfer or harvest: is_active false, departure_date that day,
 * the population and biomass that left) or at the end of the run for those still holding fish.
 */
import type { Container, Stage } from '../farm/model.js';
import type { DayClock } from './clock.js';
import type { BatchContext } from './context.js';
import { round2 } from './numbers.js';

export interface Assignment {
  readonly id: number;
  readonly container: Container;
  readonly stage: Stage;
  readonly assignmentDate: string;
  readonly createdAt: string;
  /** Fish in the container now; after departure, the fish that left. */
  population: number;
  departureDate: string | null;
  lastWeighingDate: string | null;
}

export function openAssignment(
  ctx: BatchContext,
  container: Container,
  stage: Stage,
  population: number,
  clock: DayClock,
  time: string,
): Assignment {
  return {
    id: ctx.ids.next('batch_batchcontainerassignment'),
    container,
    stage,
    assignmentDate: clock.date,
    createdAt: clock.stamp(time),
    population,
    departureDate: null,
    lastWeighingDate: null,
  };
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
  ctx.sink.emit('batch_batchcontainerassignment', {
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
  });
}
