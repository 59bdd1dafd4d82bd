/**
 * PostgreSQL refuses to run as root: as root, aquaseed runs it as the `postgres` user (created if
 * missing), which must be able to reach the cluster directory.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { chown, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { AquaseedError } from '../core/errors.js';
import { ROOT_CACHE_DIR } from '../host/cache-dir.js';
import type { RunAs } from './reachable-binaries.js';

/** PostgreSQL refuses to run as root: find or create the `postgres` user to run it as. */
export async function postgresUser(create: boolean): Promise<RunAs | null> {
  if (process.getuid?.() !== 0) return null;
  const lookup = (): RunAs | null => {
    const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (uid.status !== 0 || gid.status !== 0) return null;
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  const found = lookup();
  if (found) return found;
  if (!create) {
    throw new AquaseedError(
      'AQUASEED_EMBEDDED_START',
      'running as root, and PostgreSQL cannot run as root: there is no `postgres` user to run it as',
      'create one (`useradd postgres`), allow aquaseed to (createPostgresUser: true), or pass a database URL (server: { url }, --database-url) to use a server of your own',
    );
  }
  spawnSync('groupadd', ['postgres']);
  spawnSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
  const created = lookup();
  if (!created) {
    throw new AquaseedError(
      'AQUASEED_EMBEDDED_START',
      'running as root, and creating the `postgres` user to run PostgreSQL as failed',
      'create a `postgres` user yourself, run as a normal user, or pass a database URL (server: { url }, --database-url) to use a server of your own',
    );
  }
  return created;
}

/**
 * As root the server runs as `postgres`, which must be able to reach the cluster directory: every
 * directory above it must let others through (o+x). The default cache directory is chosen so that
 * it does (src/host/cache-dir.ts); one given explicitly that does not is refused, naming the
 * directory in the way, rather than clusters being kept somewhere else (they are gigabytes).
 */
export async function usableRoot(root: string, runAs: RunAs | null): Promise<string> {
  await mkdir(root, { recursive: true });
  if (!runAs) return root;
  if (canWrite(root, runAs)) return root;
  // Not ours to give away (another user's cache, say): the check below finds out.
  await chown(root, runAs.uid, runAs.gid).catch(() => {});
  if (canWrite(root, runAs)) return root;
  const blocked = closedAncestor(root);
  throw new AquaseedError(
    'AQUASEED_EMBEDDED_START',
    `PostgreSQL runs as the postgres user (it refuses to run as root), which cannot reach the cache directory ${root}` +
      (blocked ? `: ${blocked} lets no other user through` : ''),
    blocked
      ? `use a cache directory the postgres user can reach (AQUASEED_CACHE_DIR=${ROOT_CACHE_DIR}, the default as root), or let it through: chmod o+x ${blocked}`
      : `use a cache directory the postgres user can reach (AQUASEED_CACHE_DIR=${ROOT_CACHE_DIR}, the default as root)`,
  );
}

/** The nearest directory above (or at) `path` that others may not enter, if any. */
function closedAncestor(path: string): string | null {
  let found: string | null = null;
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    try {
      if ((statSync(dir).mode & 0o001) === 0) found = dir;
    } catch {
      // Not there yet: made by us, traversable.
    }
    if (dirname(dir) === dir) return found;
  }
}

function canWrite(dir: string, runAs: RunAs): boolean {
  const probe = spawnSync(process.execPath, ['-e', 'require("fs").accessSync(process.argv[1], 2)', dir], { ...runAs });
  return probe.status === 0;
}
