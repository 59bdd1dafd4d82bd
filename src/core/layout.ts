/**
 * The farm's layout, after AquaMind's synthetic bootstrap (01_bootstrap_infrastructure.py): two
 * geographies; freshwater stations of five halls (A-E, one per freshwater stage) with ten holding
 * containers and a silo each; sea areas of twenty rings and three barges. The one home of these
 * counts and of every name they carry: the planner books containers by these names, the farm
 * creates them, the validator and the incidents read them back, all through this module.
 */

const GEOGRAPHIES = [
  { name: 'Faroe Islands', code: 'FAR', prefix: 'FI', stations: 12, areas: 22, rackStations: [1, 2] },
  { name: 'Scotland', code: 'SCO', prefix: 'S', stations: 10, areas: 20, rackStations: [1, 2, 3] },
] as const;

export type GeographyName = (typeof GEOGRAPHIES)[number]['name'];
/** Batch-number prefix: `FAR-2024-001`, `SCO-2024-001`. */
export type GeographyCode = (typeof GEOGRAPHIES)[number]['code'];

export interface GeographyLayout {
  name: GeographyName;
  code: GeographyCode;
  /** What every station and area name of the geography starts with: `FI` in FI-FW-01, FI-SEA-01. */
  prefix: string;
  /** Station / area name prefixes: FI-FW-01, FI-SEA-01; S-FW-01, S-SEA-01. */
  stationPrefix: string;
  areaPrefix: string;
  stations: number;
  areas: number;
  /** Station numbers whose Hall A holds its trays on racks (FishTalk's stand/rack pattern). */
  rackStations: readonly number[];
}

/** The geographies in ID order. */
export const LAYOUT: readonly GeographyLayout[] = GEOGRAPHIES.map((geo) => ({
  ...geo,
  stationPrefix: `${geo.prefix}-FW`,
  areaPrefix: `${geo.prefix}-SEA`,
}));

export const GEOGRAPHY_NAMES: readonly GeographyName[] = LAYOUT.map((geo) => geo.name);

/** Hall letters by stage: Hall A serves stage 1 (Egg&Alevin) … Hall E stage 5 (Post-Smolt). */
export const HALL_LETTERS = ['A', 'B', 'C', 'D', 'E'] as const;
export type HallLetter = (typeof HALL_LETTERS)[number];
/** Holding containers per hall (C01-C10). */
export const CONTAINERS_PER_HALL = 10;
/** A rack hall holds its containers as trays on two racks, C01-C05 on R01 and C06-C10 on R02. */
export const RACKS_PER_RACK_HALL = 2;
export const TRAYS_PER_RACK = CONTAINERS_PER_HALL / RACKS_PER_RACK_HALL;
export const RINGS_PER_AREA = 20;
export const BARGES_PER_AREA = 3;

export function geographyLayout(name: GeographyName): GeographyLayout {
  const found = LAYOUT.find((geo) => geo.name === name);
  if (!found) throw new RangeError(`unknown geography ${name}`);
  return found;
}

/** The stage order (1-5) a hall letter serves. */
export function stageOrderOfHall(letter: HallLetter): 1 | 2 | 3 | 4 | 5 {
  return (HALL_LETTERS.indexOf(letter) + 1) as 1 | 2 | 3 | 4 | 5;
}

/** Whether the hall of `letter` in station number `station` of `geo` holds its trays on racks. */
export function holdsRacks(geo: GeographyLayout, station: number, letter: HallLetter): boolean {
  return letter === 'A' && geo.rackStations.includes(station);
}

/**
 * The barge (1-3) that feeds ring `ring` (1-20): each barge serves a third of the area's rings in
 * name order. `rings` and `barges` are the area's own counts when the farm model has others.
 */
export function bargeOfRing(ring: number, rings: number = RINGS_PER_AREA, barges: number = BARGES_PER_AREA): number {
  return Math.floor(((ring - 1) * barges) / Math.max(1, rings)) + 1;
}

// Names built.

const two = (n: number): string => String(n).padStart(2, '0');

export const stationName = (geo: GeographyLayout, n: number): string => `${geo.stationPrefix}-${two(n)}`;
export const hallName = (station: string, letter: string): string => `${station}-Hall-${letter}`;
export const containerName = (station: string, letter: string, n: number): string => `${station}-${letter}-C${two(n)}`;
export const rackName = (station: string, letter: string, n: number): string => `${station}-${letter}-R${two(n)}`;
export const siloName = (station: string, letter: string): string => `${station}-${letter}-Silo`;
export const areaName = (geo: GeographyLayout, n: number): string => `${geo.areaPrefix}-${two(n)}`;
export const ringName = (area: string, n: number): string => `${area}-Ring-${two(n)}`;
export const bargeName = (area: string, n: number): string => `${area}-Barge-${n}`;

// Names parsed: the shape only; `isStationOf` / `isAreaOf` say whether a geography has it.

const STATION = /^(?<prefix>[A-Z]+-FW)-(?<n>\d{2})$/;
const HALL = /^(?<station>[A-Z]+-FW-\d{2})-Hall-(?<letter>[A-E])$/;
const TANK = /^(?<station>[A-Z]+-FW-\d{2})-(?<letter>[A-E])-C(?<n>\d{2})$/;
const AREA = /^(?<prefix>[A-Z]+-SEA)-(?<n>\d{2})$/;
const RING = /^(?<area>[A-Z]+-SEA-\d{2})-Ring-(?<n>\d{2})$/;

/** `FI-FW-03` → { prefix: 'FI-FW', number: 3 }. */
export function parseStationName(name: string): { prefix: string; number: number } | null {
  const match = STATION.exec(name)?.groups;
  return match ? { prefix: match.prefix as string, number: Number(match.n) } : null;
}

/** `FI-FW-03-Hall-B` → { station: 'FI-FW-03', letter: 'B' }. */
export function parseHallName(name: string): { station: string; letter: HallLetter } | null {
  const match = HALL.exec(name)?.groups;
  return match ? { station: match.station as string, letter: match.letter as HallLetter } : null;
}

/** `FI-FW-03-B-C07` → { station: 'FI-FW-03', letter: 'B', number: 7 }. */
export function parseTankName(name: string): { station: string; letter: HallLetter; number: number } | null {
  const match = TANK.exec(name)?.groups;
  return match ? { station: match.station as string, letter: match.letter as HallLetter, number: Number(match.n) } : null;
}

/** `S-SEA-12` → { prefix: 'S-SEA', number: 12 }. */
export function parseAreaName(name: string): { prefix: string; number: number } | null {
  const match = AREA.exec(name)?.groups;
  return match ? { prefix: match.prefix as string, number: Number(match.n) } : null;
}

/** `S-SEA-12-Ring-04` → { area: 'S-SEA-12', number: 4 }. */
export function parseRingName(name: string): { area: string; number: number } | null {
  const match = RING.exec(name)?.groups;
  return match ? { area: match.area as string, number: Number(match.n) } : null;
}

/** The number of a station name (`FI-FW-07` → 7). */
export function stationNumber(station: string): number {
  const parsed = parseStationName(station);
  if (!parsed) throw new RangeError(`not a station name: ${station}`);
  return parsed.number;
}

/** The station a hall stands in (`FI-FW-03-Hall-B` → `FI-FW-03`). */
export function stationOfHall(hall: string): string {
  const parsed = parseHallName(hall);
  if (!parsed) throw new RangeError(`not a hall name: ${hall}`);
  return parsed.station;
}

export function isStationOf(geo: GeographyLayout, station: string): boolean {
  const parsed = parseStationName(station);
  return parsed !== null && parsed.prefix === geo.stationPrefix && parsed.number >= 1 && parsed.number <= geo.stations;
}

export function isAreaOf(geo: GeographyLayout, area: string): boolean {
  const parsed = parseAreaName(area);
  return parsed !== null && parsed.prefix === geo.areaPrefix && parsed.number >= 1 && parsed.number <= geo.areas;
}

/** The geography a station, area or container name belongs to by its prefix (`FI-…` → Faroe Islands), or null. */
export function geographyOfName(name: string): GeographyLayout | null {
  return LAYOUT.find((geo) => name.startsWith(`${geo.prefix}-`)) ?? null;
}

/** The feed container (silo or barge) a holding container draws from: the hall's silo, the barge serving the ring's third of the area. */
export function feedContainerOf(container: string): string {
  const tank = parseTankName(container);
  if (tank) return siloName(tank.station, tank.letter);
  const ring = parseRingName(container);
  if (ring) return bargeName(ring.area, bargeOfRing(ring.number));
  throw new RangeError(`not a holding container name: ${container}`);
}
