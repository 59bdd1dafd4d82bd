/** The infrastructure model (./infrastructure.ts) as rows: geographies, stations, halls, areas, container types, containers, feed containers. */
import { TRAYS_PER_RACK, stationNumber } from '../core/layout.js';
import type { Container, FarmModel, FeedContainer, Geography } from '../core/model.js';
import { auditStamp } from '../rows/audit.js';
import type { RowSink } from '../rows/sink.js';
import { areaGroupIdByArea } from './area-groups.js';
import { byName, lookup } from './catalog.js';
import { AREA_MAX_BIOMASS_KG, CONTAINER_TYPES, HALL_AREA_SQM, HALLS, POSITIONS, containerTypeId, containerTypeOf } from './infrastructure-catalog.js';

/** infrastructure_geography */
export function emitGeographies(farm: FarmModel, sink: RowSink): void {
  const stamp = auditStamp(farm.establishedOn);
  for (const geo of farm.geographies) {
    sink.emit('infrastructure_geography', { id: geo.id, name: geo.name, description: `${geo.name} aquaculture region`, ...stamp });
  }
}

/** infrastructure_freshwaterstation */
export function emitStations(farm: FarmModel, sink: RowSink): void {
  const stamp = auditStamp(farm.establishedOn);
  for (const station of farm.stations) {
    const geography = geographyOf(farm, station.geographyId);
    const { latitude, longitude } = POSITIONS[geography.name].station;
    sink.emit('infrastructure_freshwaterstation', {
      id: station.id,
      name: station.name,
      station_type: 'FRESHWATER',
      latitude,
      longitude,
      description: `Freshwater station ${stationNumber(station.name)} in ${geography.name}`,
      active: true,
      ...stamp,
      geography_id: station.geographyId,
    });
  }
}

/** infrastructure_hall */
export function emitHalls(farm: FarmModel, sink: RowSink): void {
  const stamp = auditStamp(farm.establishedOn);
  for (const hall of farm.halls) {
    sink.emit('infrastructure_hall', {
      id: hall.id,
      name: hall.name,
      description: HALLS[hall.letter].description,
      area_sqm: HALL_AREA_SQM,
      active: true,
      ...stamp,
      freshwater_station_id: hall.stationId,
    });
  }
}

/** infrastructure_area (area groups: ./area-groups.ts) */
export function emitAreas(farm: FarmModel, sink: RowSink): void {
  const stamp = auditStamp(farm.establishedOn);
  const groupIds = areaGroupIdByArea(farm);
  for (const area of farm.areas) {
    const { latitude, longitude } = POSITIONS[geographyOf(farm, area.geographyId).name].area;
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
export function emitContainerTypes(farm: FarmModel, sink: RowSink): void {
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
export function emitContainers(farm: FarmModel, sink: RowSink): void {
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
export function emitFeedContainers(farm: FarmModel, sink: RowSink): void {
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

export function containersInIdOrder(farm: FarmModel): Container[] {
  return [...farm.containers.values()].sort((a, b) => a.id - b.id);
}

export function feedContainersInIdOrder(farm: FarmModel): FeedContainer[] {
  return [...farm.feedContainers.values()].sort((a, b) => a.id - b.id);
}

function geographyOf(farm: FarmModel, geographyId: number): Geography {
  return lookup(farm.geographies, (g) => g.id === geographyId, `geography id ${geographyId}`);
}

/** Trays C01-C05 sit on the hall's first rack, C06-C10 on the second (parent_container_id). */
function rackOfTray(farm: FarmModel): Map<number, number> {
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
