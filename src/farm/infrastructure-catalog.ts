/**
 * The infrastructure's fixed catalogue beside the layout (core/layout.ts: counts and names): where
 * each geography lies, the container types, what each hall holds and the capacities AquaMind's
 * bootstrap gives them.
 */
import type { GeographyName, HallLetter } from '../core/layout.js';
import type { Container, Hall } from '../core/model.js';
import { lookup } from './catalog.js';

interface Position {
  latitude: number;
  longitude: number;
}

/** Where a geography's freshwater stations and sea areas lie (one position for all of them). */
export const POSITIONS: Readonly<Record<GeographyName, { station: Position; area: Position }>> = {
  'Faroe Islands': { station: { latitude: 62.0, longitude: -7.0 }, area: { latitude: 61.5, longitude: -6.5 } },
  Scotland: { station: { latitude: 57.5, longitude: -4.5 }, area: { latitude: 57.0, longitude: -5.0 } },
};

export type ContainerTypeKey = 'rack' | 'tray' | 'fry' | 'parr' | 'smolt' | 'postSmolt' | 'ring' | 'silo' | 'barge';

interface ContainerTypeSpec {
  key: ContainerTypeKey;
  name: string;
  /** Feed Silo/Feed Barge are OTHER: AquaMind wrote SILO/BARGE, which are not ContainerType choices. */
  category: 'TANK' | 'PEN' | 'TRAY' | 'OTHER';
  maxVolumeM3: number;
  description: string;
}

/** infrastructure_containertype, in ID order. */
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
  description: string;
  containerType: ContainerTypeKey;
  siloCapacityKg: number;
}

/** What each hall holds (Hall A serves stage 1 … E stage 5); silos grow with the stage's feed demand. */
export const HALLS: Readonly<Record<HallLetter, HallSpec>> = {
  A: { description: 'Egg & Alevin Hall', containerType: 'tray', siloCapacityKg: 5_000 },
  B: { description: 'Fry Hall', containerType: 'fry', siloCapacityKg: 10_000 },
  C: { description: 'Parr Hall', containerType: 'parr', siloCapacityKg: 15_000 },
  D: { description: 'Smolt Hall', containerType: 'smolt', siloCapacityKg: 20_000 },
  E: { description: 'Post-Smolt Hall', containerType: 'postSmolt', siloCapacityKg: 30_000 },
};

/** Freshwater holding capacity: AquaMind sets max_biomass_kg = volume × 50. */
export const BIOMASS_KG_PER_M3 = 50;
export const RING_MAX_BIOMASS_KG = 500_000;
export const BARGE_CAPACITY_KG = 50_000;
/** 5,000 t per area (the original's comment says 500 t; the value is 5,000,000 kg). */
export const AREA_MAX_BIOMASS_KG = 5_000_000;
export const HALL_AREA_SQM = 1000;

export function containerTypeId(key: ContainerTypeKey): number {
  return CONTAINER_TYPES.findIndex((t) => t.key === key) + 1;
}

export function containerTypeSpec(key: ContainerTypeKey): ContainerTypeSpec {
  return lookup(CONTAINER_TYPES, (t) => t.key === key, `container type ${key}`);
}

/** A container's type: a ring, a rack, or what its hall holds. */
export function containerTypeOf(container: Container, hallById: ReadonlyMap<number, Hall>): ContainerTypeKey {
  if (container.areaId !== null) return 'ring';
  if (container.role === 'STRUCTURAL') return 'rack';
  const hall = container.hallId === null ? undefined : hallById.get(container.hallId);
  if (!hall) throw new RangeError(`container ${container.name} is in neither a hall nor an area`);
  return HALLS[hall.letter].containerType;
}
