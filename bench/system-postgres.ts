/**
 * The bench's PostgreSQL 15: Debian's server binaries (postgresql-15) started on a fresh cluster
 * with the embedded server's load settings (fsync off, minimal WAL: src/provision/load-tuning.ts),
 * and Debian's client (postgresql-client-15) for the pg_dump / pg_restore baseline. Missing
 * packages are installed with apt-get when the bench runs as root; otherwise the error says how.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../src/provision/free-port.js';
import { loadTuningFlags } from '../src/provision/load-tuning.js';

export const SYSTEM_MAJOR = 15;
const USER = 'bench';
const PASSWORD = 'bench';

export interface SystemPostgres {
  readonly major: number;
  readonly dataDir: string;
  url(database: string): string;
  stop(): Promise<void>;
}

/** The bin directory of Debian's PostgreSQL `major`, installing server and client when missing and allowed. */
export function systemBin(major = SYSTEM_MAJOR): string {
  const bin = `/usr/lib/postgresql/${major}/bin`;
  const needed = ['initdb', 'pg_ctl', 'postgres', 'pg_dump', 'pg_restore'];
  if (needed.every((tool) => existsSync(join(bin, tool)))) return bin;
  const packages = [`postgresql-${major}`, `postgresql-client-${major}`];
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log(`installing ${packages.join(' ')} with apt-get for the pg_dump / pg_restore baseline`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
    if (install.status === 0 && needed.every((tool) => existsSync(join(bin, tool)))) return bin;
  }
  throw new Error(
    `the pg_dump / pg_restore baseline needs Debian's PostgreSQL ${major} server and client in ${bin}: ` +
      `install them (\`sudo apt-get install ${packages.join(' ')}\`), or run the bench as root to let it install them`,
  );
}

/** The user PostgreSQL runs as when the bench runs as root (it refuses root). */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) throw new Error('running as root, and there is no postgres user to run PostgreSQL as (useradd postgres)');
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** initdb + pg_ctl start of a fresh cluster in `dir` (removed by stop()), tuned like the embedded server. */
export async function startSystemPostgres(dir: string, major = SYSTEM_MAJOR): Promise<SystemPostgres> {
  const bin = systemBin(major);
  const data = join(dir, 'data');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const user = runAs();
  if (user) {
    await chmod(dir, 0o755);
    await chown(dir, user.uid, user.gid);
  }
  const pwfile = join(dir, 'pw');
  await writeFile(pwfile, `${PASSWORD}\n`, { mode: 0o644 });
  const options = { ...(user ?? {}), encoding: 'utf8' as const, env: { ...process.env, LC_ALL: 'C' } };
  const init = spawnSync(join(bin, 'initdb'), ['-D', data, '-U', USER, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync'], options);
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  const settings = [`-p ${port}`, '-c listen_addresses=127.0.0.1', `-c unix_socket_directories=${dir}`, ...pairs(loadTuningFlags())].join(' ');
  const log = join(dir, 'log');
  const start = spawnSync(join(bin, 'pg_ctl'), ['-D', data, '-o', settings, '-l', log, '-w', '-t', '120', 'start'], options);
  if (start.status !== 0) throw new Error(`pg_ctl start failed: ${start.stderr}${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
  return {
    major,
    dataDir: data,
    url: (database) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    async stop() {
      spawnSync(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], options);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `-c`, `name=value` flag pairs joined for pg_ctl's -o string. */
function pairs(flags: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < flags.length; i += 2) out.push(`${flags[i]} ${flags[i + 1]}`);
  return out;
}
