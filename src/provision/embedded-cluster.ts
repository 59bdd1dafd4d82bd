/**
 * The embedded clusters on disk: the credentials every cluster is made with, the template cluster
 * (initdb'd once, copied for every new cluster: 0.1 s against 0.8 s), and what a data directory's
 * files say (which server runs on it, who started it).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chown, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { AquaseedError } from '../core/errors.js';
import { isRunning } from '../host/process-owner.js';
import { copyTree } from '../host/copy-tree.js';
import { diskFullError } from '../cache/disk-full.js';
import type { EmbeddedBinaries } from './embedded-binaries.js';
import type { RunAs } from './reachable-binaries.js';

export const EMBEDDED_USER = 'aquaseed';
export const EMBEDDED_PASSWORD = 'aquaseed';

/** Who started a cluster's server: the process that must stop it. */
export const OWNER_FILE = 'aquaseed-owner.json';

/** The URL of `database` on the embedded server listening on `port`. */
export function embeddedUrl(port: number, database: string): string {
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

/** `<root>/template`, initdb'd the first time it is asked for (a lost race keeps the winner's). */
export async function ensureTemplate(root: string, binaries: EmbeddedBinaries, runAs: RunAs | null): Promise<string> {
  const template = join(root, 'template');
  if (existsSync(join(template, 'PG_VERSION'))) return template;
  const staging = join(root, `template.init-${process.pid}-${randomUUID().slice(0, 8)}`);
  await mkdir(staging, { recursive: true });
  const passwordFile = join(staging, '..', `pw-${randomUUID().slice(0, 8)}`);
  await writeFile(passwordFile, `${EMBEDDED_PASSWORD}\n`, { mode: 0o644 });
  try {
    if (runAs) await chown(staging, runAs.uid, runAs.gid);
    const result = spawnSync(
      binaries.initdb,
      [
        `--pgdata=${staging}`,
        `--username=${EMBEDDED_USER}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
      ],
      { ...(runAs ?? {}), encoding: 'utf8', env: { ...process.env, LC_MESSAGES: 'C' } },
    );
    if (result.status !== 0 && /No space left on device/i.test(result.stderr)) {
      throw diskFullError(Object.assign(new Error(result.stderr.trim()), { code: 'ENOSPC' }), root, 'the cluster template (initdb)', 'no server was started');
    }
    if (result.status !== 0) {
      throw new AquaseedError(
        'AQUASEED_EMBEDDED_START',
        `initdb failed in ${staging}: ${(result.stderr || result.error?.message || '').trim()}`,
        'check that the directory is writable and the disk has space, or pass a databaseUrl (--database-url) to use a server of your own',
      );
    }
    // Another process may have won the race; its template is as good as ours.
    await rename(staging, template).catch(async () => {
      if (!existsSync(join(template, 'PG_VERSION'))) throw new Error(`could not publish the cluster template at ${template}`);
    });
  } finally {
    await rm(passwordFile, { force: true });
    await rm(staging, { recursive: true, force: true });
  }
  return template;
}

/** Copies a stopped cluster (the template, or a snapshot) to `dir`, owned by the user the server runs as. */
export async function copyCluster(
  source: string,
  dir: string,
  runAs: RunAs | null,
  copy: (from: string, to: string) => Promise<unknown> = copyTree,
): Promise<void> {
  const partial = `${dir}.copy-${randomUUID().slice(0, 8)}`;
  try {
    await copy(source, partial);
    await rm(join(partial, 'postmaster.pid'), { force: true });
    if (runAs && (await stat(join(partial, 'PG_VERSION'))).uid !== runAs.uid) await chownTree(partial, runAs);
    await rename(partial, dir);
  } catch (error) {
    // A half copy on a full disk keeps it full: give the space back now, not at the next sweep.
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
}

async function chownTree(dir: string, runAs: RunAs): Promise<void> {
  await chown(dir, runAs.uid, runAs.gid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(path, runAs);
    else await chown(path, runAs.uid, runAs.gid);
  }
}

/** The port of a live server on `dir`, from its postmaster.pid. */
export function liveServer(dir: string): { pid: number; port: number } | null {
  try {
    const lines = readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    if (!Number.isInteger(pid) || !Number.isInteger(port) || !isRunning(pid)) return null;
    return { pid, port };
  } catch {
    return null;
  }
}
