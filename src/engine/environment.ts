/**
 * `environmental_environmentalreading`: six automatic readings a day (06 … 18 h) for every sensor
 * of each active assignment's container that carries a parameter, each linked to the sensor,
 * parameter, container, batch and assignment. Temperature follows the day's mean with a diel
 * swing; the other parameters scatter ±10 % around their base (AquaMind's model).
 */
import type { Container } from '../farm/model.js';
import type { BatchContext } from './context.js';
import type { Rng } from './rng.js';
import type { BatchState, DayStep, SimDay } from './state.js';
import { DIEL_TEMPERATURE_OFFSET_C, FRESHWATER_DIEL_SCALE } from './tuning.js';

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

export class EnvironmentStep implements DayStep {
  private readonly channelsByContainer = new Map<number, readonly Channel[]>();

  constructor(
    private readonly ctx: BatchContext,
    private readonly state: BatchState,
    private readonly rng: Rng,
  ) {}

  runDay(day: SimDay): void {
    const { ctx, rng } = this;
    const stamps = day.clock.readingStamps;
    const dielScale = day.atSea ? 1 : FRESHWATER_DIEL_SCALE;
    const batchId = ctx.batchId;
    for (const assignment of this.state.active) {
      const containerId = assignment.container.id;
      const channels = this.channelsOf(assignment.container);
      for (let h = 0; h < stamps.length; h++) {
        const at = stamps[h]!;
        const temperature = day.temperatureC + dielScale * DIEL_TEMPERATURE_OFFSET_C[h]!;
        for (let c = 0; c < channels.length; c++) {
          const channel = channels[c]!;
          const raw = channel.isTemperature
            ? temperature + TEMPERATURE_NOISE_C * (2 * rng.next() - 1)
            : channel.base * (1 + SCATTER * (2 * rng.next() - 1));
          ctx.sink.emit('environmental_environmentalreading', {
            id: ctx.ids.next('environmental_environmentalreading'),
            value: Math.round(raw * channel.scale) / channel.scale,
            reading_time: at,
            is_manual: false,
            notes: '',
            created_at: at,
            batch_id: batchId,
            container_id: containerId,
            parameter_id: channel.parameterId,
            recorded_by_id: null,
            sensor_id: channel.sensorId,
            batch_container_assignment_id: assignment.id,
          });
        }
      }
    }
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
