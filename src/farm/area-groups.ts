/**
 * infrastructure_areagroup: the marine area-group hierarchy of AquaMind's HEAD bootstrap, and the
 * leaf group each sea area belongs to (infrastructure_area.area_group_id).
 *
 * ID order: per geography (Faroe Islands, then Scotland) its root, then the tree depth-first:
 * 1 Faroe Islands Marine, 2 North, 3 South, 4 West, 5 Scotland Marine, 6 LOCH FYNE, 7 LEWIS,
 * 8 LEWIS North, 9 LEWIS South, 10 HARRIS, 11 BENBECULA, 12 SKYE and MAINLAND,
 * 13 STRIVEN,ARRAN,MULL,GIGHA.
 */
import type { RowSink } from '../rows/sink.js';
import type { FarmModel, Geography } from '../core/model.js';
import type { GeographyName } from '../core/layout.js';
import { auditStamp } from '../rows/audit.js';
import { lookup } from './catalog.js';

interface GroupNode {
  name: string;
  /** Leaves carry FishTalk's share of marine sites; areas are spread over leaves by these. */
  weight?: number;
  children?: readonly GroupNode[];
}

const TREES: readonly { geography: GeographyName; groups: readonly GroupNode[] }[] = [
  {
    geography: 'Faroe Islands',
    groups: [
      { name: 'North', weight: 8 },
      { name: 'South', weight: 4 },
      { name: 'West', weight: 13 },
    ],
  },
  {
    geography: 'Scotland',
    groups: [
      { name: 'LOCH FYNE', weight: 10 },
      {
        name: 'LEWIS',
        children: [
          { name: 'LEWIS North', weight: 3 },
          { name: 'LEWIS South', weight: 2 },
        ],
      },
      { name: 'HARRIS', weight: 5 },
      { name: 'BENBECULA', weight: 3 },
      { name: 'SKYE and MAINLAND', weight: 4 },
      { name: 'STRIVEN,ARRAN,MULL,GIGHA', weight: 8 },
    ],
  },
];

export interface AreaGroup {
  id: number;
  name: string;
  code: string;
  geographyId: number;
  parentId: number | null;
  /** Set on the leaves areas are assigned to; null on roots and inner groups. */
  weight: number | null;
}

const groupCode = (name: string): string => name.toUpperCase().replaceAll(' ', '_').slice(0, 32);

export function planAreaGroups(geographies: readonly Geography[]): AreaGroup[] {
  const groups: AreaGroup[] = [];
  const add = (name: string, code: string, geographyId: number, parentId: number | null, weight: number | null): number => {
    const id = groups.length + 1;
    groups.push({ id, name, code, geographyId, parentId, weight });
    return id;
  };
  const addTree = (nodes: readonly GroupNode[], geographyId: number, parentId: number): void => {
    for (const node of nodes) {
      const id = add(node.name, groupCode(node.name), geographyId, parentId, node.children ? null : (node.weight ?? 1));
      if (node.children) addTree(node.children, geographyId, id);
    }
  };
  for (const geography of geographies) {
    const tree = lookup(TREES, (t) => t.geography === geography.name, `area-group tree of ${geography.name}`);
    const rootId = add(`${geography.name} Marine`, groupCode(geography.name), geography.id, null, null);
    addTree(tree.groups, geography.id, rootId);
  }
  return groups;
}

/**
 * Largest-remainder apportionment of `total` over `weights`. Remainders are compared exactly
 * (integer numerators), ties go to the earlier weight, so the result never depends on float noise.
 */
export function largestRemainder(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((total * w) / sum));
  const byRemainder = weights
    .map((w, index) => ({ index, remainder: (total * w) % sum }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  let left = total - counts.reduce((a, b) => a + b, 0);
  for (const { index } of byRemainder) {
    if (left-- <= 0) break;
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return counts;
}

/** Interleaves groups round-robin so neighbouring areas fall in different groups: indices into counts. */
export function roundRobin(counts: readonly number[]): number[] {
  const left = [...counts];
  const sequence: number[] = [];
  while (left.some((n) => n > 0)) {
    left.forEach((n, index) => {
      if (n <= 0) return;
      sequence.push(index);
      left[index] = n - 1;
    });
  }
  return sequence;
}

/** The leaf group of every area: per geography, areas in ID order follow the weighted round-robin sequence. */
export function areaGroupIdByArea(farm: FarmModel): Map<number, number> {
  const groups = planAreaGroups(farm.geographies);
  const result = new Map<number, number>();
  for (const geography of farm.geographies) {
    const leaves = groups.filter((g) => g.geographyId === geography.id && g.weight !== null);
    const areas = farm.areas.filter((a) => a.geographyId === geography.id).sort((a, b) => a.id - b.id);
    const sequence = roundRobin(largestRemainder(areas.length, leaves.map((l) => l.weight ?? 1)));
    areas.forEach((area, index) => {
      const leaf = leaves[sequence[index] ?? -1];
      if (leaf) result.set(area.id, leaf.id);
    });
  }
  return result;
}

/** infrastructure_areagroup */
export function emitAreaGroups(farm: FarmModel, sink: RowSink): void {
  const stamp = auditStamp(farm.establishedOn);
  for (const group of planAreaGroups(farm.geographies)) {
    sink.emit('infrastructure_areagroup', {
      id: group.id,
      name: group.name,
      code: group.code,
      active: true,
      ...stamp,
      geography_id: group.geographyId,
      parent_id: group.parentId,
    });
  }
}
