import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * The cache directory as root when the project's cannot be used: PostgreSQL refuses to run as
 * root, so aquaseed runs it as `postgres`, which must reach the clusters in the cache directory,
 * and nothing under a directory only root may enter (/root, a `mktemp -d` project). /var/cache is
 * where a system keeps such data, and others may pass through it.
 */
export const ROOT_CACHE_DIR = '/var/cache/aquaseed';

/**
 * aquaseed's cache directory, which holds everything it stores (snapshots, embedded clusters,
 * kept databases): AQUASEED_CACHE_DIR, else `node_modules/.cache/aquaseed` of the nearest project
 * above the working directory (where CI caches usually look), else ~/.cache/aquaseed. As root,
 * when that default is under a directory other users cannot enter, ROOT_CACHE_DIR instead.
 */
export function defaultCacheDir(cwd = process.cwd()): string {
  const fromEnv = process.env.AQUASEED_CACHE_DIR;
  if (fromEnv) return resolve(fromEnv);
  const dir = projectCacheDir(cwd);
  if (process.platform === 'linux' && process.getuid?.() === 0 && !othersMayEnter(dir)) return ROOT_CACHE_DIR;
  return dir;
}

function projectCacheDir(cwd: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'node_modules', '.cache', 'aquaseed');
    if (dirname(dir) === dir) break;
  }
  return join(homedir(), '.cache', 'aquaseed');
}

/** Whether every existing directory from `path` up lets other users through (o+x); missing ones will be made so. */
function othersMayEnter(path: string): boolean {
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    try {
      if ((statSync(dir).mode & 0o001) === 0) return false;
    } catch {
      // Not made yet: made 0755 when it is.
    }
    if (dirname(dir) === dir) return true;
  }
}
