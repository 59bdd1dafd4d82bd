/**
 * The embedded clusters on disk: the credentials every cluster is made with, the template cluster
 * (initdb'd once, copied for every new cluster: 0.1 s against 0.8 s), and what a data directory's
 * files say (which server runs on it, who started it).
 *
 * Everything half-made carries its maker in its name (`template.init-<pid>-<start>-…`,
 * `<cluster>.copy-<pid>-<start>-…`), so the next aquaseed command removes it if that process is
 * gone (src/provision/sweep.ts), and leaves it alone while it lives.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, chown, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AquaseedError } from '../core/errors.js';
import { isRunning, ownedName } from '../host/process-owner.js';
import { copyTree } from '../host/copy-tree.js';
import { diskFullError } from '../cache/disk-full.js';
import { withLock } from '../cache/lock.js';
import type { EmbeddedBinaries } from './embedded-binaries.js';
import type { RunAs } from './reachable-binaries.js';

export const EMBEDDED_USER = 'aquaseed';
export const EMBEDDED_PASSWORD = 'aquaseed';

/** Who started a cluster's server: the process that must stop it. */
export const OWNER_FILE = 'aquaseed-owner.json';

/** Name prefixes of what is half-made under a cluster root (see the module comment). */
export const TEMPLATE_STAGING = 'template.init-';
export const COPY_INFIX = '.copy-';

/** The URL of `database` on the embedded server listening on `port` (at `host`; a wildcard address is reached on 127.0.0.1). */
export function embeddedUrl(port: number, database: string, host = '127.0.0.1'): string {
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@${urlHost(host)}:${port}/${encodeURIComponent(database)}`;
}

function urlHost(host: string): string {
  if (host === '*' || host === '0.0.0.0' || host === '' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** `<root>/template`, initdb'd the first time it is asked for, by one process at a time. */
export async function ensureTemplate(root: string, binaries: EmbeddedBinaries, runAs: RunAs | null): Promise<string> {
  const template = join(root, 'template');
  if (existsSync(join(template, 'PG_VERSION'))) return template;
  return withLock(join(root, 'template.lock'), async () => {
    if (!existsSync(join(template, 'PG_VERSION'))) await initTemplate(root, template, binaries, runAs);
    return template;
  });
}

async function initTemplate(root: string, template: string, binaries: EmbeddedBinaries, runAs: RunAs | null): Promise<void> {
  const staging = join(root, ownedName(TEMPLATE_STAGING));
  // Beside the staging directory (initdb wants it empty), readable by its user alone, gone once the cluster exists.
  const passwordFile = `${staging}.pw`;
  try {
    await mkdir(staging, { recursive: true });
    await writeFile(passwordFile, `${EMBEDDED_PASSWORD}\n`, { mode: 0o600 });
    if (runAs) {
      await chown(staging, runAs.uid, runAs.gid);
      await chown(passwordFile, runAs.uid, runAs.gid);
    }
    const result = await initdb(binaries, runAs, [
      `--pgdata=${staging}`,
      `--username=${EMBEDDED_USER}`,
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    await rm(passwordFile, { force: true });
    if (result.code !== 0 && /No space left on device/i.test(result.stderr)) {
      throw diskFullError(Object.assign(new Error(result.stderr.trim()), { code: 'ENOSPC' }), root, 'the cluster template (initdb)', 'no server was started');
    }
    if (result.code !== 0) {
      throw new AquaseedError(
        'AQUASEED_EMBEDDED_START',
        `initdb failed in ${staging}: ${result.stderr.trim() || `exit ${result.code}`}`,
        'check that the directory is writable and the disk has space, or pass a database URL (server: { url }, --database-url) to use a server of your own',
      );
    }
    // Password authentication from any address the server is told to listen on (`up --host`);
    // by default it listens on 127.0.0.1 only.
    await allowAllHosts(staging);
    // A template without PG_VERSION is a broken one (made by hand, or by an older version): replaced.
    await rm(template, { recursive: true, force: true });
    await rename(staging, template);
  } finally {
    await rm(passwordFile, { force: true });
    await rm(staging, { recursive: true, force: true });
  }
}

const ALL_HOSTS = 'host all all all scram-sha-256';

/**
 * Password authentication from any address the server is told to listen on (`aquaseed up --host`);
 * by default it listens on 127.0.0.1 only. Clusters made before this line existed get it on demand.
 */
export async function allowAllHosts(dataDir: string): Promise<void> {
  const hba = join(dataDir, 'pg_hba.conf');
  const text = await readFile(hba, 'utf8');
  if (text.split('\n').some((line) => line.trim() === ALL_HOSTS)) return;
  await appendFile(hba, `\n# aquaseed: \`aquaseed up --host\` serves other addresses, with the same password\n${ALL_HOSTS}\n`);
}

/** initdb in a process group of its own (a Ctrl-C is aquaseed's to handle), its stderr collected. */
function initdb(binaries: EmbeddedBinaries, runAs: RunAs | null, args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(binaries.initdb, args, { ...(runAs ?? {}), detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => resolve({ code: -1, stderr: error.message }));
    child.on('close', (code, signal) => resolve({ code: code ?? -1, stderr: stderr || (signal ? `initdb ended by ${signal}` : '') }));
  });
}

/** Copies a stopped cluster (the template, or a snapshot) to `dir`, owned by the user the server runs as. */
export async function copyCluster(
  source: string,
  dir: string,
  runAs: RunAs | null,
  copy: (from: string, to: string) => Promise<unknown> = copyTree,
): Promise<void> {
  const partial = join(dirname(dir), ownedName(`${basename(dir)}${COPY_INFIX}`));
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

/**
 * The live server on `dir`, from its postmaster.pid: a running postmaster whose command line names
 * `dir`, with its port and its first listen address.
 */
export function liveServer(dir: string): { pid: number; port: number; host: string } | null {
  try {
    const lines = readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    if (!Number.isInteger(pid) || !Number.isInteger(port) || !isRunning(pid) || !runsOn(pid, dir)) return null;
    return { pid, port, host: lines[4]?.trim() || '127.0.0.1' };
  } catch {
    return null;
  }
}

/** Whether process `pid` was started on data directory `dir` (a reused pid was not); true where /proc cannot tell. */
function runsOn(pid: number, dir: string): boolean {
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT' || !existsSync('/proc/self');
  }
  return cmdline.split('\0').includes(dir);
}
