/**
 * What a killed aquaseed process can leave in a cache directory (src/provision/sweep.ts), listed so
 * a fault test can show that nothing of it is left: half-written entries and clusters, password
 * files, locks, leases, throwaway clusters.
 */
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';

const HALF_MADE = /^\.partial-|\.copy-|^template\.init-|\.pw$|\.lock$|^\.acquire-|^\.stale-/;

/** Paths (relative to `cacheDir`) of leftovers: half-made things, locks, leases, throwaway clusters. */
export async function leftoversIn(cacheDir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const path = join(dir, entry.name);
      const parent = dir.slice(dir.lastIndexOf('/') + 1);
      if (HALF_MADE.test(entry.name) || parent === 'runs' || parent.endsWith('.users')) {
        found.push(relative(cacheDir, path));
        continue;
      }
      // Inside a cluster or an entry nothing is a leftover of its own: its directory would be.
      if (entry.isDirectory() && depth < 3) await walk(path, depth + 1);
    }
  };
  await walk(cacheDir, 0);
  return found.sort();
}
