/**
 * Real PostgreSQL processes for failure tests: find the servers running on data directories under
 * a path (to prove none were left behind), and run a throwaway cluster from system binaries (e.g.
 * Debian's PostgreSQL 15) to seed through a URL.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/provision/free-port.js';

/** Pids of postgres processes whose command line names a directory under `dir`. */
export function postgresProcessesUnder(dir: string): number[] {
  const mangled = dir.replace(/[^a-zA-Z0-9]+/g, '_');
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = readFileSync(join('/proc', entry, 'cmdline'), 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!/postgres/.test(argv[0] ?? '')) continue;
    const line = argv.join(' ');
    if (line.includes(dir) || line.includes(mangled)) found.push(Number(entry));
  }
  return found;
}

export interface SystemCluster {
  url(database: string): string;
  readonly major: number;
  stop(): Promise<void>;
}

/** The bin directory of a system PostgreSQL of this major version, if installed. */
export function systemPostgresBin(major: number): string | null {
  const bin = join('/usr/lib/postgresql', String(major), 'bin');
  return existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl')) ? bin : null;
}

const USER = 'farmer';
const PASSWORD = 'farmer-pw';

/**
 * initdb + pg_ctl start of a throwaway cluster in a temp dir on a free port. PostgreSQL refuses to
 * run as root, so as root it runs as the `postgres` user (which embedded provisioning creates).
 */
export async function startSystemCluster(bin: string, major: number): Promise<SystemCluster> {
  const dir = await mkdtemp(join(tmpdir(), `aquaseed-pg${major}-`));
  const data = join(dir, 'data');
  const asUser = runAs();
  if (asUser) {
    await chmod(dir, 0o755);
    await chown(dir, asUser.uid, asUser.gid);
  }
  const pwfile = join(dir, 'pw');
  await writeFile(pwfile, `${PASSWORD}\n`, { mode: 0o644 });
  const opts = { ...(asUser ?? {}), encoding: 'utf8' as const, env: { ...process.env, LC_ALL: 'C' } };
  const init = spawnSync(join(bin, 'initdb'), ['-D', data, '-U', USER, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync'], opts);
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  const settings = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c max_connections=100`;
  const start = spawnSync(join(bin, 'pg_ctl'), ['-D', data, '-o', settings, '-l', join(dir, 'log'), '-w', 'start'], opts);
  if (start.status !== 0) throw new Error(`pg_ctl start failed: ${start.stderr}${readLog(dir)}`);
  return {
    major,
    url: (database) => `postgres://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/${database}`,
    async stop() {
      spawnSync(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], opts);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'log'), 'utf8');
  } catch {
    return '';
  }
}

function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) throw new Error('running as root, and there is no postgres user to run PostgreSQL as');
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Pids of the embedded servers' watchdogs (src/provision/server-watchdog.ts) watching a data directory under `dir`. */
export function watchdogsUnder(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = readFileSync(join('/proc', entry, 'cmdline'), 'utf8').split('\0');
    } catch {
      continue;
    }
    if (argv.includes('aquaseed-server-watchdog') && argv.some((arg) => arg.startsWith(dir))) found.push(Number(entry));
  }
  return found;
}

/** Every process aquaseed leaves for a cache directory: its servers and their watchdogs. */
export function aquaseedProcessesUnder(dir: string): number[] {
  return [...postgresProcessesUnder(dir), ...watchdogsUnder(dir)];
}
