/**
 * `environmental_environmentalreading`: six automatic readings a day (06 … 18 h) for every sensor
 * of each active assignment's container that carries a parameter, each linked to the sensor,
 * parameter, container, batch and assignment. Temperature follows the day's mean with a diel
 * swing; the other parameters scatter ±10 % around their base (AquaMind's model).
 */
import type { Container } from '../core/model.js';
import type { Assignment } from './assignments.js';
import type { BatchContext } from './context.js';
import type { Rng } from '../core/rng.js';
import type { BatchState, DayStep, SimDay } from './state.js';
import { DIEL_TEMPERATURE_OFFSET_C, FRESHWATER_DIEL_SCALE, READING_TIMES } from '../core/tuning.js';

interface Channel {
  readonly sensorId: number;
  readonly parameterId: number;
  readonly base: number;
  readonly isTemperature: boolean;
  /** 10^decimals the value is rounded to: sensor resolution, within numeric(10,4). */
  readonly scale: number;
}

/** Relative scatter of non-temperature readings around their base. */
const SCATTER = 0.1;
/** Sensor noise on top of the temperature's daily mean and diel swing (°C). */
const TEMPERATURE_NOISE_C = 0.08;

/**
 * A sensor out of its safe range for some hours (an oxygen drop, a temperature spike:
 * src/engine/incidents/sensor-excursion.ts): it reads the incident's values at the routine hours
 * inside the window, and logs every other hour of the window as well.
 */
export interface SensorExcursion {
  readonly parameterId: number;
  /** The incident's reading at `hour` (0-23) if it falls inside the window, else undefined. */
  valueAt(hour: number): number | undefined;
  /** Hours of the window with no routine reading: each gets one more reading. */
  readonly extraHours: readonly number[];
}

/** Today's excursions by container id (src/engine/incidents). */
export interface SensorExcursions {
  on(d: number): ReadonlyMap<number, readonly SensorExcursion[]> | undefined;
}

const READING_HOURS = READING_TIMES.map((time) => Number(time.slice(0, 2)));

export class EnvironmentStep implements DayStep {
  private readonly channelsByContainer = new Map<number, readonly Channel[]>();

  constructor(
    private readonly ctx: BatchContext,
    private readonly state: BatchState,
    private readonly rng: Rng,
    private readonly excursions: SensorExcursions | null = null,
  ) {}

  runDay(day: SimDay): void {
    const { rng } = this;
    const stamps = day.clock.readingStamps;
    const dielScale = day.atSea ? 1 : FRESHWATER_DIEL_SCALE;
    const today = this.excursions?.on(day.clock.d);
    // On the asOf day only the hours up to "now" have been read.
    let hours = stamps.length;
    while (hours > 0 && !day.clock.happened(READING_TIMES[hours - 1]!)) hours--;
    for (const assignment of this.state.active) {
      const channels = this.channelsOf(assignment.container);
      const excursions = today?.get(assignment.container.id);
      for (let h = 0; h < hours; h++) {
        const at = stamps[h]!;
        const temperature = day.temperatureC + dielScale * DIEL_TEMPERATURE_OFFSET_C[h]!;
        for (let c = 0; c < channels.length; c++) {
          const channel = channels[c]!;
          const raw = channel.isTemperature
            ? temperature + TEMPERATURE_NOISE_C * (2 * rng.next() - 1)
            : channel.base * (1 + SCATTER * (2 * rng.next() - 1));
          const value = excursions ? (excursionValue(excursions, channel.parameterId, READING_HOURS[h]!) ?? raw) : raw;
          this.emit(assignment, channel, at, Math.round(value * channel.scale) / channel.scale);
        }
      }
      if (excursions) this.emitExtraHours(assignment, channels, excursions, day);
    }
  }

  private emitExtraHours(assignment: Assignment, channels: readonly Channel[], excursions: readonly SensorExcursion[], day: SimDay): void {
    for (const excursion of excursions) {
      const channel = channels.find((c) => c.parameterId === excursion.parameterId);
      if (!channel) continue; // the container has no sensor for it
      for (const hour of excursion.extraHours) {
        if (!day.clock.happened(`${String(hour).padStart(2, '0')}:00`)) continue;
        const value = excursion.valueAt(hour) as number;
        this.emit(assignment, channel, day.clock.stamp(`${String(hour).padStart(2, '0')}:00`), Math.round(value * channel.scale) / channel.scale);
      }
    }
  }

  private emit(assignment: Assignment, channel: Channel, at: string, value: number): void {
    const { ctx } = this;
    ctx.sink.emit('environmental_environmentalreading', {
      id: ctx.ids.next('environmental_environmentalreading'),
      value,
      reading_time: at,
      is_manual: false,
      notes: '',
      created_at: at,
      batch_id: ctx.batchId,
      container_id: assignment.container.id,
      parameter_id: channel.parameterId,
      recorded_by_id: null,
      sensor_id: channel.sensorId,
      batch_container_assignment_id: assignment.id,
    });
  }

  private channelsOf(container: Container): readonly Channel[] {
    let channels = this.channelsByContainer.get(container.id);
    if (!channels) {
      channels = container.sensors.map(({ sensorId, parameterId }) => {
        const parameter = this.ctx.farm.parameters.find((p) => p.id === parameterId);
        if (!parameter) throw new Error(`sensor ${sensorId} of ${container.name} carries unknown parameter ${parameterId}`);
        const isTemperature = parameter.name === 'Temperature';
        return {
          sensorId,
          parameterId,
          base: parameter.base,
          isTemperature,
          scale: isTemperature || parameter.base >= 1 ? 100 : 10000,
        };
      });
      this.channelsByContainer.set(container.id, channels);
    }
    return channels;
  }
}

function excursionValue(excursions: readonly SensorExcursion[], parameterId: number, hour: number): number | undefined {
  for (const excursion of excursions) {
    const value = excursion.parameterId === parameterId ? excursion.valueAt(hour) : undefined;
    if (value !== undefined) return value;
  }
  return undefined;
}
