/**
 * A reused testcontainers container keeps each seeded key in a template database: the next run of
 * the key restores it in place instead of seeding.
 */
import type { Target } from '../target.js';
import { isContainer } from '../target.js';
import type { SeedResult } from '../seed-result.js';
import { readMarker } from './seeded-marker.js';

/** The farm restored from the container's template of `key`, or null when it holds none. */
export async function fromContainerTemplate(target: Target, key: string): Promise<SeedResult | null> {
  if (!isContainer(target.server) || !(await target.server.restoreTemplate(key))) return null;
  const restored = await readMarker(target.url, key);
  return restored ? { ...restored, reused: false, restored: true } : null;
}

/** After a fresh seed into a container: keep it as the key's template for the next run. */
export async function saveContainerTemplate(target: Target, key: string): Promise<void> {
  if (isContainer(target.server)) await target.server.saveTemplate(key);
}
