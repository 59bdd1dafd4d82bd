/**
 * A throwaway embedded cluster marked to keep databases of failed tests (src/cache/kept.ts) is
 * not removed when its run ends: the other databases are dropped, and the stopped cluster moves to
 * `kept-<run>` beside the cluster template, a named cluster `aquaseed cache serve` starts.
 */
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { keptClusterDir, keptInCluster } from '../cache/kept.js';
import { ident } from '../schema/identifiers.js';
import { withClient } from '../db/client.js';

export { keptInCluster };

/** Drops every database of the running cluster but the kept ones (and PostgreSQL's own). */
export async function dropAllBut(maintenanceUrl: string, kept: readonly string[]): Promise<void> {
  await withClient(maintenanceUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE NOT datistemplate AND datname <> 'postgres' AND datname <> ALL($1::text[])`,
      [kept],
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${ident(datname)} WITH (FORCE)`);
  });
}

/** Moves a stopped throwaway cluster that holds kept databases to its kept name. */
export async function retireKeptCluster(dir: string): Promise<void> {
  await rm(join(dir, 'aquaseed-owner.json'), { force: true });
  await rename(dir, keptClusterDir(dir));
}
