/**
 * The physical farm of AquaMind's synthetic bootstrap (`01_bootstrap_infrastructure.py`, HEAD) as
 * a model, laid out and named by core/layout.ts: 2 geographies; 22 freshwater stations of 5 halls
 * with 10 holding containers each (rack/tray hierarchy in some Egg&Alevin halls); 42 sea areas of
 * 20 rings; a silo per hall, 3 barges per area. ./infrastructure-rows.ts writes it.
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
import {
  BARGES_PER_AREA,
  CONTAINERS_PER_HALL,
  HALL_LETTERS,
  LAYOUT,
  RACKS_PER_RACK_HALL,
  RINGS_PER_AREA,
  TRAYS_PER_RACK,
  areaName,
  bargeName,
  containerName,
  geographyLayout,
  hallName,
  holdsRacks,
  rackName,
  ringName,
  siloName,
  stageOrderOfHall,
  stationName,
  stationNumber,
  stationOfHall,
} from '../core/layout.js';
import type { Area, Container, FeedContainer, Geography, Hall, Station } from '../core/model.js';
import { IdCounter } from '../rows/ids.js';
import { lookup, oneTo } from './catalog.js';
import { BARGE_CAPACITY_KG, BIOMASS_KG_PER_M3, HALLS, RING_MAX_BIOMASS_KG, containerTypeSpec } from './infrastructure-catalog.js';

export interface Infrastructure {
  geographies: Geography[];
  stations: Station[];
  halls: Hall[];
  areas: Area[];
  /** Sensors are not laid out yet (see ./sensors.ts): every `sensors` list is empty. */
  containers: Container[];
  feedContainers: FeedContainer[];
}

export function buildInfrastructure(): Infrastructure {
  const ids = new IdCounter();
  const geographies = LAYOUT.map((geo) => ({ id: ids.next('infrastructure_geography'), name: geo.name, code: geo.code }));
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
  const geo = geographyLayout(geography.name);
  return oneTo(geo.stations).map((n) => ({
    id: ids.next('infrastructure_freshwaterstation'),
    name: stationName(geo, n),
    geographyId: geography.id,
  }));
}

/** Halls start without containers; hallContainers and hallSilo record theirs. */
function stationHalls(station: Station, ids: IdCounter): Hall[] {
  return HALL_LETTERS.map((letter) => ({
    id: ids.next('infrastructure_hall'),
    name: hallName(station.name, letter),
    stationId: station.id,
    letter,
    stageOrder: stageOrderOfHall(letter),
    feedContainerIds: [],
    containerIds: [],
  }));
}

/** Areas start without containers; areaRings and areaBarges record theirs. */
function geographyAreas(geography: Geography, ids: IdCounter): Area[] {
  const geo = geographyLayout(geography.name);
  return oneTo(geo.areas).map((n) => ({
    id: ids.next('infrastructure_area'),
    name: areaName(geo, n),
    geographyId: geography.id,
    feedContainerIds: [],
    containerIds: [],
  }));
}

/** Whether a hall holds its trays on racks (core/layout.ts holdsRacks). */
function rackHalls(geographies: readonly Geography[], stations: readonly Station[]): (hall: Hall) => boolean {
  const geoOfStation = new Map(
    stations.map((station) => [station.id, geographyLayout(lookup(geographies, (g) => g.id === station.geographyId, `geography of ${station.name}`).name)]),
  );
  return (hall) => {
    const geo = geoOfStation.get(hall.stationId);
    return geo !== undefined && holdsRacks(geo, stationNumber(stationOfHall(hall.name)), hall.letter);
  };
}

/** A hall's containers; records the holding ones on the hall, in name order. */
function hallContainers(hall: Hall, withRacks: boolean, ids: IdCounter): Container[] {
  const station = stationOfHall(hall.name);
  const type = containerTypeSpec(HALLS[hall.letter].containerType);
  const holding = (n: number): Container => {
    const container = fwContainer(ids, containerName(station, hall.letter, n), hall.id, 'HOLDING', type.maxVolumeM3, type.maxVolumeM3 * BIOMASS_KG_PER_M3);
    hall.containerIds.push(container.id);
    return container;
  };
  if (!withRacks) return oneTo(CONTAINERS_PER_HALL).map(holding);
  const rack = containerTypeSpec('rack');
  return oneTo(RACKS_PER_RACK_HALL).flatMap((r) => [
    fwContainer(ids, rackName(station, hall.letter, r), hall.id, 'STRUCTURAL', rack.maxVolumeM3, 0),
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
    return { id, name: ringName(area.name, n), hallId: null, areaId: area.id, role: 'HOLDING', volumeM3, maxBiomassKg: RING_MAX_BIOMASS_KG, sensors: [] };
  });
}

function hallSilo(hall: Hall, ids: IdCounter): FeedContainer {
  const id = ids.next('infrastructure_feedcontainer');
  hall.feedContainerIds.push(id);
  return { id, name: siloName(stationOfHall(hall.name), hall.letter), kind: 'SILO', capacityKg: HALLS[hall.letter].siloCapacityKg, hallId: hall.id, areaId: null };
}

function areaBarges(area: Area, ids: IdCounter): FeedContainer[] {
  return oneTo(BARGES_PER_AREA).map((n) => {
    const id = ids.next('infrastructure_feedcontainer');
    area.feedContainerIds.push(id);
    return { id, name: bargeName(area.name, n), kind: 'BARGE', capacityKg: BARGE_CAPACITY_KG, hallId: null, areaId: area.id };
  });
}
