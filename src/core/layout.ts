/**
 * Names of AquaMind's synthetic infrastructure (01_bootstrap_infrastructure.py): the planner books
 * containers by these names and the farm creates them, so both read them from here.
 */
import type { GeographyCode, GeographyName } from './model.js';

export interface GeographyLayout {
  name: GeographyName;
  code: GeographyCode;
  /** Station / area name prefixes: FI-FW-01, FI-SEA-01; S-FW-01, S-SEA-01. */
  stationPrefix: string;
  areaPrefix: string;
  stations: number;
  areas: number;
}

export const LAYOUT: readonly GeographyLayout[] = [
  { name: 'Faroe Islands', code: 'FAR', stationPrefix: 'FI-FW', areaPrefix: 'FI-SEA', stations: 12, areas: 22 },
  { name: 'Scotland', code: 'SCO', stationPrefix: 'S-FW', areaPrefix: 'S-SEA', stations: 10, areas: 20 },
];

export const HALL_LETTERS = ['A', 'B', 'C', 'D', 'E'] as const;
export const CONTAINERS_PER_HALL = 10;
export const RINGS_PER_AREA = 20;

const two = (n: number): string => String(n).padStart(2, '0');

export const stationName = (geo: GeographyLayout, n: number): string => `${geo.stationPrefix}-${two(n)}`;
export const hallName = (station: string, letter: string): string => `${station}-Hall-${letter}`;
export const containerName = (station: string, letter: string, n: number): string => `${station}-${letter}-C${two(n)}`;
export const areaName = (geo: GeographyLayout, n: number): string => `${geo.areaPrefix}-${two(n)}`;
export const ringName = (area: string, n: number): string => `${area}-Ring-${two(n)}`;

export function geographyLayout(name: GeographyName): GeographyLayout {
  const found = LAYOUT.find((geo) => geo.name === name);
  if (!found) throw new RangeError(`unknown geography ${name}`);
  return found;
}
