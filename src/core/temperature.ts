/**
 * The batch's daily mean water temperature. Hatchery tanks hold a setpoint per stage with a small
 * drift; sea rings follow the geography's seasonal curve on the calendar plus weather anomalies.
 * The same value drives the temperature readings and the day's growth (AquaMind read 12 °C at sea
 * while growing at 9 °C).
 */
import type { GeographyName } from './layout.js';
import type { StageOrder } from './stages.js';
import type { Rng } from './rng.js';
import {
  FRESHWATER_DRIFT,
  FRESHWATER_SETPOINT_C,
  SEA_DRIFT,
  SEA_PEAK_DAY_OF_YEAR,
  SEA_TEMPERATURE,
  type FreshwaterOrder,
} from './tuning.js';

const TROPICAL_YEAR_DAYS = 365.2425;

/** Seasonal sea temperature (°C) on a calendar day (days since 1970-01-01, which is day-of-year 1). */
export function seasonalSeaTemperature(geography: GeographyName, dayNumber: number): number {
  const { meanC, amplitudeC } = SEA_TEMPERATURE[geography];
  const phase = (2 * Math.PI * (dayNumber - (SEA_PEAK_DAY_OF_YEAR - 1))) / TROPICAL_YEAR_DAYS;
  return meanC + amplitudeC * Math.cos(phase);
}

/** The temperature the farm plans with on a day: the hatchery setpoint, or the sea's seasonal curve. */
export function expectedTemperature(geography: GeographyName, order: StageOrder, atSea: boolean, dayNumber: number): number {
  return atSea ? seasonalSeaTemperature(geography, dayNumber) : FRESHWATER_SETPOINT_C[Math.min(order, 5) as FreshwaterOrder];
}

export class TemperatureModel {
  private anomaly = 0;

  constructor(
    private readonly geography: GeographyName,
    private readonly rng: Rng,
  ) {}

  /** The mean temperature of the next simulated day; call once per day, in day order. */
  next(dayNumber: number, order: StageOrder, atSea: boolean): number {
    const drift = atSea ? SEA_DRIFT : FRESHWATER_DRIFT;
    this.anomaly = drift.persistence * this.anomaly + this.rng.normal(0, drift.innovationSd);
    return expectedTemperature(this.geography, order, atSea, dayNumber) + this.anomaly;
  }
}
