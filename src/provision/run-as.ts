/**
 * PostgreSQL refuses to run as root: as root, aquaseed runs it as the `postgres` user (created if
 * missing), which must be able to reach the cluster directory.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AquaseedError } from '../core/errors.js';
import type { RunAs } from './reachable-binaries.js';
import { liveServer } from './embedded-cluster.js';

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
      'create one (`useradd postgres`), allow aquaseed to (createPostgresUser: true), or pass a databaseUrl (--database-url) to use a server of your own',
    );
  }
  spawnSync('groupadd', ['postgres']);
  spawnSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
  const created = lookup();
  if (!created) {
    throw new AquaseedError(
      'AQUASEED_EMBEDDED_START',
      'running as root, and creating the `postgres` user to run PostgreSQL as failed',
      'create a `postgres` user yourself, run as a normal user, or pass a databaseUrl (--database-url) to use a server of your own',
    );
  }
  return created;
}

/**
 * As root the server runs as `postgres`, which must be able to reach the cluster directory; a cache
 * under an unreadable home directory (/root) falls back to the system temp directory.
 */
export async function usableRoot(root: string, runAs: RunAs | null): Promise<string> {
  await mkdir(root, { recursive: true });
  if (!runAs) return root;
  if (canWrite(root, runAs)) return root;
  // Not ours to give away (another user's cache, say): the check below finds out, and falls back.
  await chown(root, runAs.uid, runAs.gid).catch(() => {});
  if (canWrite(root, runAs)) return root;
  await sweepOrphanedFallbacks();
  const fallback = join(tmpdir(), `${FALLBACK_PREFIX}${root.replace(/[^a-zA-Z0-9]+/g, '_').slice(-80)}`);
  await mkdir(fallback, { recursive: true });
  await chown(fallback, runAs.uid, runAs.gid);
  // The fallback outlives the cache directory it stands in for (a test run's temp cache, say):
  // remember which one, so a later run can remove it once that directory is gone.
  await writeFile(join(fallback, FALLBACK_ORIGIN), JSON.stringify({ root }));
  return fallback;
}

const FALLBACK_PREFIX = 'aquaseed-embedded-';
const FALLBACK_ORIGIN = 'aquaseed-origin.json';

/** Removes fallback cluster roots whose cache directory is gone and which no live server uses. */
async function sweepOrphanedFallbacks(): Promise<void> {
  // A sweep is tidying only: what cannot be read or removed now (another process at it, a
  // directory not ours) is left for a later run.
  const names = await readdir(tmpdir()).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.startsWith(FALLBACK_PREFIX))) {
    const dir = join(tmpdir(), name);
    const origin = await readFile(join(dir, FALLBACK_ORIGIN), 'utf8').then((text) => (JSON.parse(text) as { root?: string }).root, () => undefined);
    if (!origin || existsSync(origin)) continue;
    // Half removed by another sweep: what is left has no live server either.
    const clusters = await readdir(dir).catch(() => [] as string[]);
    const runs = await readdir(join(dir, 'runs')).catch(() => [] as string[]);
    const dataDirs = [...clusters.map((c) => join(dir, c)), ...runs.map((r) => join(dir, 'runs', r))];
    if (dataDirs.some((dataDir) => liveServer(dataDir))) continue;
    await rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}

function canWrite(dir: string, runAs: RunAs): boolean {
  const probe = spawnSync(process.execPath, ['-e', 'require("fs").accessSync(process.argv[1], 2)', dir], { ...runAs });
  return probe.status === 0;
}
