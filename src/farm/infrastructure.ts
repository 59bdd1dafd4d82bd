/**
 * The physical farm of AquaMind's synthetic bootstrap (`01_bootstrap_infrastructure.py`, HEAD):
 * 2 geographies; 22 freshwater stations of 5 halls with 10 holding containers each (rack/tray
 * hierarchy in some Egg&Alevin halls); 42 sea areas of 20 rings; a silo per hall, 3 barges per area.
 *
 * ID order, dense from 1 per table:
 * - infrastructure_geography: Faroe Islands, Scotland.
 * - infrastructure_freshwaterstation: FI-FW-01..12, S-FW-01..10.
 * - infrastructure_hall: station by station, Hall-A..E.
 * - infrastructure_area: FI-SEA-01..22, S-SEA-01..20.
 * - infrastructure_containertype: the order of CONTAINER_TYPES.
 * - infrastructure_container: hall by hall (rack halls R01, C01-C05, R02, C06-C10, so a rack
 *   precedes its trays; other halls C01-C10), then area by area Ring-01..20.
 * - infrastructure_feedcontainer: a silo per hall in hall order, then area by area Barge-1..3.
 */
import { IdCounter } from '../rows/ids.js';
import type { RowSink } from '../rows/sink.js';
import type {
  Area,
  Container,
  FeedContainer,
  Farm,
  Geography,
  GeographyCode,
  GeographyName,
  Hall,
  Station,
} from '../core/model.js';
import { areaGroupIdByArea } from './area-groups.js';
import { auditStamp } from '../rows/audit.js';
import { byName, lookup, oneTo, trailingNumber } from './catalog.js';

interface Position {
  latitude: number;
  longitude: number;
}

interface GeographySpec {
  name: GeographyName;
  code: GeographyCode;
  /** Name prefix of stations and areas: FI-FW-01, S-SEA-01. */
  prefix: 'FI' | 'S';
  stationCount: number;
  areaCount: number;
  stationPosition: Position;
  areaPosition: Position;
  /** Station numbers whose Hall A holds trays on racks (FishTalk's stand/rack pattern). */
  rackStations: readonly number[];
}

export const GEOGRAPHIES: readonly GeographySpec[] = [
  {
    name: 'Faroe Islands',
    code: 'FAR',
    prefix: 'FI',
    stationCount: 12,
    areaCount: 22,
    stationPosition: { latitude: 62.0, longitude: -7.0 },
    areaPosition: { latitude: 61.5, longitude: -6.5 },
    rackStations: [1, 2],
  },
  {
    name: 'Scotland',
    code: 'SCO',
    prefix: 'S',
    stationCount: 10,
    areaCount: 20,
    stationPosition: { latitude: 57.5, longitude: -4.5 },
    areaPosition: { latitude: 57.0, longitude: -5.0 },
    rackStations: [1, 2, 3],
  },
];

export type ContainerTypeKey = 'rack' | 'tray' | 'fry' | 'parr' | 'smolt' | 'postSmolt' | 'ring' | 'silo' | 'barge';

interface ContainerTypeSpec {
  key: ContainerTypeKey;
  name: string;
  /** Feed Silo/Feed Barge are OTHER: AquaMind wrote SILO/BARGE, which are not ContainerType choices. */
  category: 'TANK' | 'PEN' | 'TRAY' | 'OTHER';
  maxVolumeM3: number;
  description: string;
}

export const CONTAINER_TYPES: readonly ContainerTypeSpec[] = [
  { key: 'rack', name: 'Incubation Rack', category: 'OTHER', maxVolumeM3: 20, description: 'Structural rack holding incubation trays' },
  { key: 'tray', name: 'Incubation Trays', category: 'TRAY', maxVolumeM3: 10, description: 'Egg & Alevin stage trays' },
  { key: 'fry', name: 'Small Tanks - Fry', category: 'TANK', maxVolumeM3: 100, description: 'Fry stage tanks' },
  { key: 'parr', name: 'Medium Tanks - Parr', category: 'TANK', maxVolumeM3: 500, description: 'Parr stage tanks' },
  { key: 'smolt', name: 'Large Tanks - Smolt', category: 'TANK', maxVolumeM3: 1000, description: 'Smolt stage tanks' },
  { key: 'postSmolt', name: 'Pre-Transfer Tanks - Post-Smolt', category: 'TANK', maxVolumeM3: 2000, description: 'Post-Smolt stage tanks' },
  { key: 'ring', name: 'Sea Rings', category: 'PEN', maxVolumeM3: 50000, description: 'Sea cages for the Adult grow-out' },
  { key: 'silo', name: 'Feed Silo', category: 'OTHER', maxVolumeM3: 5000, description: 'Hall feed storage silo' },
  { key: 'barge', name: 'Feed Barge', category: 'OTHER', maxVolumeM3: 25000, description: 'Sea area feed storage barge' },
];

interface HallSpec {
  letter: Hall['letter'];
  stageOrder: Hall['stageOrder'];
  description: string;
  containerType: ContainerTypeKey;
  siloCapacityKg: number;
}

/** Hall A..E serves stage 1..5; silos grow with the stage's feed demand. */
export const HALLS: readonly HallSpec[] = [
  { letter: 'A', stageOrder: 1, description: 'Egg & Alevin Hall', containerType: 'tray', siloCapacityKg: 5_000 },
  { letter: 'B', stageOrder: 2, description: 'Fry Hall', containerType: 'fry', siloCapacityKg: 10_000 },
  { letter: 'C', stageOrder: 3, description: 'Parr Hall', containerType: 'parr', siloCapacityKg: 15_000 },
  { letter: 'D', stageOrder: 4, description: 'Smolt Hall', containerType: 'smolt', siloCapacityKg: 20_000 },
  { letter: 'E', stageOrder: 5, description: 'Post-Smolt Hall', containerType: 'postSmolt', siloCapacityKg: 30_000 },
];

const HOLDING_PER_HALL = 10;
const RACKS_PER_RACK_HALL = 2;
export const TRAYS_PER_RACK = HOLDING_PER_HALL / RACKS_PER_RACK_HALL;
const RINGS_PER_AREA = 20;
const BARGES_PER_AREA = 3;
/** Freshwater holding capacity: AquaMind sets max_biomass_kg = volume × 50. */
const BIOMASS_KG_PER_M3 = 50;
const RING_MAX_BIOMASS_KG = 500_000;
const BARGE_CAPACITY_KG = 50_000;
/** 5,000 t per area (the original's comment says 500 t; the value is 5,000,000 kg). */
const AREA_MAX_BIOMASS_KG = 5_000_000;
const HALL_AREA_SQM = 1000;

export interface Infrastructure {
  geographies: Geography[];
  stations: Station[];
  halls: Hall[];
  areas: Area[];
  /** Sensors are not laid out yet (see ./sensors.ts): every `sensors` list is empty. */
  containers: Container[];
  feedContainers: FeedContainer[];
}

export function geographySpec(name: GeographyName): GeographySpec {
  return lookup(GEOGRAPHIES, (g) => g.name === name, `geography ${name}`);
}

export function containerTypeId(key: ContainerTypeKey): number {
  return CONTAINER_TYPES.findIndex((t) => t.key === key) + 1;
}

function containerTypeSpec(key: ContainerTypeKey): ContainerTypeSpec {
  return lookup(CONTAINER_TYPES, (t) => t.key === key, `container type ${key}`);
}

function hallSpec(letter: Hall['letter']): HallSpec {
  return lookup(HALLS, (h) => h.letter === letter, `hall letter ${letter}`);
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** `FI-FW-01-Hall-A` → `FI-FW-01-A`, the prefix of the hall's container and silo names. */
const hallPrefix = (hall: Hall): string => `${hall.name.replace(/-Hall-[A-E]$/, '')}-${hall.letter}`;

export function buildInfrastructure(): Infrastructure {
  const ids = new IdCounter();
  const geographies = GEOGRAPHIES.map((spec) => ({ id: ids.next('infrastructure_geography'), name: spec.name, code: spec.code }));
  const stations = geographies.flatMap((geography) => geographyStations(geography, ids));
  const halls = stations.flatMap((station) => stationHalls(station, ids));
  const areas = geographies.flatMap((geography) => geographyAreas(geography, ids));
  const hasRacks = rackHalls(geographies, stations);
  const containers = [
    ...halls.flatMap((hall) => hallContainers(hall, hasRacks(hall), ids)),
    ...areas.flatMap((area) => areaRings(area, ids)),
  ];
  const feedContainers = [...halls.map((hall) => hallSilo(hall, ids)), ...areas.flatMap((area) => areaBarges(area, ids))];
  return { geographies, stations, halls, areas, containers, feedContainers };
}

function geographyStations(geography: Geography, ids: IdCounter): Station[] {
  const spec = geographySpec(geography.name);
  return oneTo(spec.stationCount).map((n) => ({
    id: ids.next('infrastructure_freshwaterstation'),
    name: `${spec.prefix}-FW-${pad2(n)}`,
    geographyId: geography.id,
  }));
}

/** Halls start without containers; hallContainers and hallSilo record theirs. */
function stationHalls(station: Station, ids: IdCounter): Hall[] {
  return HALLS.map((spec) => ({
    id: ids.next('infrastructure_hall'),
    name: `${station.name}-Hall-${spec.letter}`,
    stationId: station.id,
    letter: spec.letter,
    stageOrder: spec.stageOrder,
    feedContainerIds: [],
    containerIds: [],
  }));
}

/** Areas start without containers; areaRings and areaBarges record theirs. */
function geographyAreas(geography: Geography, ids: IdCounter): Area[] {
  const spec = geographySpec(geography.name);
  return oneTo(spec.areaCount).map((n) => ({
    id: ids.next('infrastructure_area'),
    name: `${spec.prefix}-SEA-${pad2(n)}`,
    geographyId: geography.id,
    feedContainerIds: [],
    containerIds: [],
  }));
}

/** Whether a hall holds its trays on racks: Hall A of the geography's rack stations. */
function rackHalls(geographies: readonly Geography[], stations: readonly Station[]): (hall: Hall) => boolean {
  const rackStationIds = new Set(
    stations
      .filter((station) => {
        const geography = lookup(geographies, (g) => g.id === station.geographyId, `geography of ${station.name}`);
        return geographySpec(geography.name).rackStations.includes(trailingNumber(station.name));
      })
      .map((station) => station.id),
  );
  return (hall) => hall.letter === 'A' && rackStationIds.has(hall.stationId);
}

/** A hall's containers; records the holding ones on the hall, in name order. */
function hallContainers(hall: Hall, withRacks: boolean, ids: IdCounter): Container[] {
  const prefix = hallPrefix(hall);
  const type = containerTypeSpec(hallSpec(hall.letter).containerType);
  const holding = (n: number): Container => {
    const container = fwContainer(ids, `${prefix}-C${pad2(n)}`, hall.id, 'HOLDING', type.maxVolumeM3, type.maxVolumeM3 * BIOMASS_KG_PER_M3);
    hall.containerIds.push(container.id);
    return container;
  };
  if (!withRacks) return oneTo(HOLDING_PER_HALL).map(holding);
  const rack = containerTypeSpec('rack');
  return oneTo(RACKS_PER_RACK_HALL).flatMap((r) => [
    fwContainer(ids, `${prefix}-R${pad2(r)}`, hall.id, 'STRUCTURAL', rack.maxVolumeM3, 0),
    ...oneTo(TRAYS_PER_RACK).map((t) => holding((r - 1) * TRAYS_PER_RACK + t)),
  ]);
}

function fwContainer(
  ids: IdCounter,
  name: string,
  hallId: number,
  role: Container['role'],
  volumeM3: number,
  maxBiomassKg: number,
): Container {
  return { id: ids.next('infrastructure_container'), name, hallId, areaId: null, role, volumeM3, maxBiomassKg, sensors: [] };
}

function areaRings(area: Area, ids: IdCounter): Container[] {
  const volumeM3 = containerTypeSpec('ring').maxVolumeM3;
  return oneTo(RINGS_PER_AREA).map((n) => {
    const id = ids.next('infrastructure_container');
    area.containerIds.push(id);
    return { id, name: `${area.name}-Ring-${pad2(n)}`, hallId: null, areaId: area.id, role: 'HOLDING', volumeM3, maxBiomassKg: RING_MAX_BIOMASS_KG, sensors: [] };
  });
}

function hallSilo(hall: Hall, ids: IdCounter): FeedContainer {
  const id = ids.next('infrastructure_feedcontainer');
  hall.feedContainerIds.push(id);
  return { id, name: `${hallPrefix(hall)}-Silo`, kind: 'SILO', capacityKg: hallSpec(hall.letter).siloCapacityKg, hallId: hall.id, areaId: null };
}

function areaBarges(area: Area, ids: IdCounter): FeedContainer[] {
  return oneTo(BARGES_PER_AREA).map((n) => {
    const id = ids.next('infrastructure_feedcontainer');
    area.feedContainerIds.push(id);
    return { id, name: `${area.name}-Barge-${n}`, kind: 'BARGE', capacityKg: BARGE_CAPACITY_KG, hallId: null, areaId: area.id };
  });
}

/** infrastructure_geography */
export function emitGeographies(farm: Farm, sink: RowSink): void {
  const stamp = auditStamp(farm.establishedOn);
  for (const geo of farm.geographies) {
    sink.emit('infrastructure_geography', { id: geo.id, name: geo.name, description: `${geo.name} aquaculture region`, ...stamp });
  }
}

/** infrastructure_freshwaterstation */
export function emitStations(farm: Farm, sink: RowSink): void {
  const stamp = auditStamp(farm.establishedOn);
  for (const station of farm.stations) {
    const geography = geographyOf(farm, station.geographyId);
    const { latitude, longitude } = geographySpec(geography.name).stationPosition;
    sink.emit('infrastructure_freshwaterstation', {
      id: station.id,
      name: station.name,
      station_type: 'FRESHWATER',
      latitude,
      longitude,
      description: `Freshwater station ${trailingNumber(station.name)} in ${geography.name}`,
      active: true,
      ...stamp,
      geography_id: station.geographyId,
    });
  }
}

/** infrastructure_hall */
export function emitHalls(farm: Farm, sink: RowSink): void {
  const stamp = auditStamp(farm.establishedOn);
  for (const hall of farm.halls) {
    sink.emit('infrastructure_hall', {
      id: hall.id,
      name: hall.name,
      description: hallSpec(hall.letter).description,
      area_sqm: HALL_AREA_SQM,
      active: true,
      ...stamp,
      freshwater_station_id: hall.stationId,
    });
  }
}

/** infrastructure_area (area groups: ./area-groups.ts) */
export function emitAreas(farm: Farm, sink: RowSink): void {
  const stamp = auditStamp(farm.establishedOn);
  const groupIds = areaGroupIdByArea(farm);
  for (const area of farm.areas) {
    const { latitude, longitude } = geographySpec(geographyOf(farm, area.geographyId).name).areaPosition;
    sink.emit('infrastructure_area', {
      id: area.id,
      name: area.name,
      latitude,
      longitude,
      max_biomass: AREA_MAX_BIOMASS_KG,
      active: true,
      ...stamp,
      geography_id: area.geographyId,
      area_group_id: groupIds.get(area.id) ?? null,
    });
  }
}

/** infrastructure_containertype */
export function emitContainerTypes(farm: Farm, sink: RowSink): void {
  const stamp = auditStamp(farm.establishedOn);
  CONTAINER_TYPES.forEach((type, index) => {
    sink.emit('infrastructure_containertype', {
      id: index + 1,
      name: type.name,
      category: type.category,
      max_volume_m3: type.maxVolumeM3,
      description: type.description,
      ...stamp,
    });
  });
}

/** infrastructure_container */
export function emitContainers(farm: Farm, sink: RowSink): void {
  const stamp = auditStamp(farm.establishedOn);
  const hallById = new Map(farm.halls.map((h) => [h.id, h]));
  const parents = rackOfTray(farm);
  for (const container of containersInIdOrder(farm)) {
    sink.emit('infrastructure_container', {
      id: container.id,
      name: container.name,
      volume_m3: container.volumeM3,
      max_biomass_kg: container.maxBiomassKg,
      active: true,
      ...stamp,
      area_id: container.areaId,
      container_type_id: containerTypeId(containerTypeOf(container, hallById)),
      hall_id: container.hallId,
      feed_recommendations_enabled: true,
      carrier_id: null,
      hierarchy_role: container.role,
      parent_container_id: parents.get(container.id) ?? null,
    });
  }
}

/** infrastructure_feedcontainer */
export function emitFeedContainers(farm: Farm, sink: RowSink): void {
  const stamp = auditStamp(farm.establishedOn);
  for (const feedContainer of feedContainersInIdOrder(farm)) {
    sink.emit('infrastructure_feedcontainer', {
      id: feedContainer.id,
      name: feedContainer.name,
      container_type: feedContainer.kind,
      capacity_kg: feedContainer.capacityKg,
      active: true,
      ...stamp,
      area_id: feedContainer.areaId,
      hall_id: feedContainer.hallId,
    });
  }
}

export function containersInIdOrder(farm: Farm): Container[] {
  return [...farm.containers.values()].sort((a, b) => a.id - b.id);
}

export function feedContainersInIdOrder(farm: Farm): FeedContainer[] {
  return [...farm.feedContainers.values()].sort((a, b) => a.id - b.id);
}

function geographyOf(farm: Farm, geographyId: number): Geography {
  return lookup(farm.geographies, (g) => g.id === geographyId, `geography id ${geographyId}`);
}

function containerTypeOf(container: Container, hallById: ReadonlyMap<number, Hall>): ContainerTypeKey {
  if (container.areaId !== null) return 'ring';
  if (container.role === 'STRUCTURAL') return 'rack';
  const hall = container.hallId === null ? undefined : hallById.get(container.hallId);
  if (!hall) throw new RangeError(`container ${container.name} is in neither a hall nor an area`);
  return hallSpec(hall.letter).containerType;
}

/** Trays C01-C05 sit on the hall's first rack, C06-C10 on the second (parent_container_id). */
function rackOfTray(farm: Farm): Map<number, number> {
  const racksByHall = new Map<number, Container[]>();
  for (const container of farm.containers.values()) {
    if (container.role !== 'STRUCTURAL' || container.hallId === null) continue;
    const racks = racksByHall.get(container.hallId) ?? [];
    racks.push(container);
    racksByHall.set(container.hallId, racks);
  }
  const parents = new Map<number, number>();
  for (const hall of farm.halls) {
    const racks = (racksByHall.get(hall.id) ?? []).sort(byName);
    if (racks.length === 0) continue;
    hall.containerIds.forEach((trayId, index) => {
      const rack = racks[Math.floor(index / TRAYS_PER_RACK)];
      if (rack) parents.set(trayId, rack.id);
    });
  }
  return parents;
}
