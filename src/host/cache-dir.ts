import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * aquaseed's cache directory: AQUASEED_CACHE_DIR, else `node_modules/.cache/aquaseed` of the
 * nearest project above the working directory (where CI caches usually look), else ~/.cache.
 */
export function defaultCacheDir(cwd = process.cwd()): string {
  const fromEnv = process.env.AQUASEED_CACHE_DIR;
  if (fromEnv) return resolve(fromEnv);
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'node_modules', '.cache', 'aquaseed');
    if (dirname(dir) === dir) break;
  }
  return join(homedir(), '.cache', 'aquaseed');
}
