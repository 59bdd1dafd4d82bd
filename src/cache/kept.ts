/**
 * Databases kept after a failed test (`keepFailed`), recorded in the cache directory as
 * `kept/<database>.json`, so that `aquaseed cache ls` lists them and `cache prune` removes them.
 *
 * A database kept in one of aquaseed's throwaway embedded clusters also marks that cluster
 * (`aquaseed-kept/<database>` in its data directory): when the run ends the cluster is kept as
 * `kept-<run>` beside the cluster template, holding only its kept databases, instead of being
 * removed; `aquaseed cache serve <database>` starts it again.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface KeptDatabase {
  database: string;
  /** Its URL while the run lasted, password hidden. */
  url: string;
  /** host:port of its server. */
  server: string;
  /** The failed test's full name, and its file. */
  test: string;
  file?: string;
  /** The isolation mode it was kept from: `reset` keeps the test's own state, `clone` the file's or worker's copy. */
  isolation: string;
  keptAt: string;
  /** For a database in a throwaway embedded cluster: that cluster's data directory during the run. */
  runDirectory?: string;
  /** The app under test left running on it (`app` with keepFailed); `cache prune` stops it. */
  app?: KeptApp;
}

/** An app left running on a kept database: started by the test run, owned by nobody until pruned. */
export interface KeptApp {
  /** The front app's URL. */
  url: string;
  /** Process group ids of its processes (one per app of a list), and when each leader started (/proc ticks). */
  groups: { pid: number; startTime: number }[];
  command: string;
  /** Where its output goes. */
  logFile: string;
}

/** The directory in a cluster's data directory that lists its kept databases. */
export const KEPT_MARKER = 'aquaseed-kept';

/** The owner file of a throwaway embedded cluster (written by src/provision/embedded.ts). */
const THROWAWAY_OWNER = 'aquaseed-owner.json';

export function keptDir(cacheDir: string): string {
  return join(cacheDir, 'kept');
}

/** The name a throwaway cluster holding kept databases gets once its run ends. */
export function keptClusterName(runDirectory: string): string {
  return `kept-${basename(runDirectory)}`;
}

/** Where that cluster is: beside the cluster template, where named persistent clusters live. */
export function keptClusterDir(runDirectory: string): string {
  return join(dirname(dirname(runDirectory)), keptClusterName(runDirectory));
}

/** The databases a cluster's data directory is marked to keep (empty: remove it as usual). */
export function keptInCluster(dataDirectory: string): string[] {
  try {
    return readdirSync(join(dataDirectory, KEPT_MARKER));
  } catch {
    return [];
  }
}

/**
 * Records a kept database. `dataDirectory` is the server's (from `SHOW data_directory`): when it
 * is a throwaway embedded cluster on this machine, the cluster is marked to outlive the run.
 */
export async function recordKept(cacheDir: string, entry: Omit<KeptDatabase, 'runDirectory'>, dataDirectory?: string): Promise<KeptDatabase> {
  const throwaway = dataDirectory !== undefined && existsSync(join(dataDirectory, THROWAWAY_OWNER));
  const kept: KeptDatabase = throwaway ? { ...entry, runDirectory: dataDirectory } : entry;
  if (throwaway) {
    await mkdir(join(dataDirectory, KEPT_MARKER), { recursive: true });
    await writeFile(join(dataDirectory, KEPT_MARKER, entry.database), '');
  }
  await mkdir(keptDir(cacheDir), { recursive: true });
  await writeFile(join(keptDir(cacheDir), `${entry.database}.json`), `${JSON.stringify(kept, null, 2)}\n`);
  return kept;
}

export type KeptState =
  /** Its run's server still serves it. */
  | { kind: 'running'; dir: string }
  /** In a kept embedded cluster, stopped: `aquaseed cache serve` starts it. */
  | { kind: 'stopped'; dir: string; cluster: string }
  /** On a server aquaseed does not manage (a URL): it stays there until dropped. */
  | { kind: 'external' }
  /** Its cluster is gone (removed by hand, or the run was killed before it could keep it). */
  | { kind: 'gone' };

export interface KeptEntry extends KeptDatabase {
  state: KeptState;
}

export async function listKept(cacheDir: string): Promise<KeptEntry[]> {
  // No kept/ directory: nothing was kept. An entry that cannot be read (removed meanwhile, or
  // half-written by a killed run) is not listed.
  const names = (await readdir(keptDir(cacheDir)).catch(() => [] as string[])).filter((name) => name.endsWith('.json')).sort();
  const out: KeptEntry[] = [];
  for (const name of names) {
    const entry = await readFile(join(keptDir(cacheDir), name), 'utf8').then((text) => JSON.parse(text) as KeptDatabase, () => null);
    if (entry) out.push({ ...entry, state: stateOf(entry) });
  }
  return out;
}

function stateOf(entry: KeptDatabase): KeptState {
  if (!entry.runDirectory) return { kind: 'external' };
  if (existsSync(join(entry.runDirectory, 'PG_VERSION'))) return { kind: 'running', dir: entry.runDirectory };
  const dir = keptClusterDir(entry.runDirectory);
  if (existsSync(join(dir, 'PG_VERSION'))) return { kind: 'stopped', dir, cluster: keptClusterName(entry.runDirectory) };
  return { kind: 'gone' };
}

/** Forgets a kept database (after its cluster was removed or it was dropped). */
export async function forgetKept(cacheDir: string, database: string): Promise<void> {
  await rm(join(keptDir(cacheDir), `${database}.json`), { force: true });
}
