/**
 * The kept databases of failed tests in `aquaseed cache ls|prune|serve` (src/cache/kept.ts).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AquaseedError } from '../core/errors.js';
import { forgetKept, listKept, type KeptEntry } from '../cache/kept.js';
import { siblingUrl } from '../db/clone.js';
import { ident } from '../schema/identifiers.js';
import { queryOnce } from '../db/client.js';
import { startEmbedded } from '../provision/embedded.js';
import { liveServer } from '../provision/embedded-cluster.js';
import { usersDir } from '../provision/cluster-users.js';
import { redactUrl } from '../provision/external.js';
import { serveUntilStopped } from './serve.js';
import { stopGroupById } from '../host/process-group.js';

export function formatKept(entry: KeptEntry): string {
  const where =
    entry.state.kind === 'stopped'
      ? `stopped; serve it: npx aquaseed cache serve ${entry.database}`
      : entry.state.kind === 'running'
        ? `served by its test run at ${entry.url}`
        : entry.state.kind === 'external'
          ? `on ${entry.server}: ${entry.url}`
          : 'gone (its cluster was removed)';
  return `  ${entry.database}  (${entry.isolation}, ${entry.keptAt.slice(0, 19).replace('T', ' ')})\n    test   ${entry.test}${entry.file ? `\n    file   ${entry.file}` : ''}\n    where  ${where}${entry.app ? `\n    app    ${entry.app.url} (left running; output in ${entry.app.logFile}; cache prune stops it)` : ''}`;
}

/**
 * Removes kept databases: kept embedded clusters (unless being served), entries whose cluster is
 * gone, and databases on the server of `databaseUrl`. What stays is explained line by line.
 */
export async function pruneKept(cacheDir: string, databaseUrl: string | undefined): Promise<{ removed: string[]; left: string[] }> {
  const removed: string[] = [];
  const left: string[] = [];
  const server = databaseUrl ? new URL(databaseUrl) : null;
  for (const entry of await listKept(cacheDir)) {
    const { state } = entry;
    if (state.kind === 'running' || (state.kind === 'stopped' && liveServer(state.dir) !== null)) {
      left.push(`kept ${entry.database}: still served (${state.dir}); prune again once it stops`);
      continue;
    }
    if (state.kind === 'stopped') {
      await rm(state.dir, { recursive: true, force: true });
      // The leases `cache serve` left beside it go too.
      await rm(usersDir(state.dir), { recursive: true, force: true });
    } else if (state.kind === 'external') {
      if (!server || `${server.hostname}:${server.port || '5432'}` !== entry.server) {
        left.push(`kept ${entry.database} on ${entry.server}: pass --database-url for that server to drop it (or DROP DATABASE ${ident(entry.database)} there)`);
        continue;
      }
      await queryOnce(siblingUrl(databaseUrl!, 'postgres'), `DROP DATABASE IF EXISTS ${ident(entry.database)} WITH (FORCE)`);
    }
    // The app a failed test left running on it (keepFailed with an app): stopped with it.
    let app = '';
    if (entry.app) {
      let stopped = 0;
      for (const group of entry.app.groups) if (await stopGroupById(group.pid, group.startTime)) stopped++;
      app = stopped > 0 ? ` and its app at ${entry.app.url}` : '';
    }
    await forgetKept(cacheDir, entry.database);
    removed.push(`kept database ${entry.database}${app}`);
  }
  return { removed, left };
}

/** Serves a kept database until the signal: its stopped embedded cluster is started for it. */
export async function serveKept(cacheDir: string, database: string, signal: AbortSignal): Promise<string> {
  const entry = (await listKept(cacheDir)).find((kept) => kept.database === database);
  if (!entry || entry.state.kind === 'gone') {
    throw new AquaseedError(
      'AQUASEED_INVALID_OPTION',
      entry ? `the cluster of kept database ${database} is gone` : `no kept database ${JSON.stringify(database)} in ${cacheDir}`,
      '`npx aquaseed cache ls` lists the kept databases (pass the same --cache-dir as the test run, or set AQUASEED_CACHE_DIR)',
    );
  }
  if (entry.state.kind !== 'stopped') {
    process.stdout.write(`${database} is ${entry.state.kind === 'running' ? 'served by its test run' : `on ${entry.server}`}:\n  ${redactUrl(entry.url)}\n`);
    return '';
  }
  const server = await startEmbedded({ root: join(cacheDir, 'embedded'), persistentName: entry.state.cluster });
  try {
    const url = server.url(database);
    process.stdout.write(`Serving kept database ${database} (failed test: ${entry.test}) until Ctrl-C:\n  export DATABASE_URL="${url}"\n  psql "${url}"\n`);
    await serveUntilStopped(signal);
    return url;
  } finally {
    await server.stop();
  }
}
