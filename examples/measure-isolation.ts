/**
 * Measures what each farmTest isolation mode costs on one preset (docs/isolation.md):
 *   npx tsx examples/measure-isolation.ts [preset] [--json]
 * Runs the same steps the fixtures run: a clone per file, a transaction per test, the shared copy.
 */
import pg from 'pg';
import { seedFarm, type Farm } from 'aquaseed';
import { cloneTemplate, openSharedCopy, siblingUrl } from '../src/isolation/template.js';

const preset = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 'single-batch';
const asJson = process.argv.includes('--json');

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await fn();
  return [value, (performance.now() - started) / 1000];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function databaseSize(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: siblingUrl(url, 'postgres') });
  await client.connect();
  try {
    const { rows } = await client.query<{ size: string }>('SELECT pg_database_size($1) AS size', [new URL(url).pathname.slice(1)]);
    return Number(rows[0]!.size);
  } finally {
    await client.end();
  }
}

const [template, seedSeconds] = await timed(() => seedFarm(preset));
const results: Record<string, number> = { seedOrRestoreSeconds: seedSeconds };
try {
  // clone: per file, create the copy and drop it at the end.
  const cloneRuns: number[] = [];
  const dropRuns: number[] = [];
  let copyBytes = 0;
  for (let i = 0; i < 5; i++) {
    const [copy, seconds] = await timed(() => cloneTemplate(template.url, `measure${i}`));
    cloneRuns.push(seconds);
    copyBytes = await databaseSize(copy.url);
    dropRuns.push((await timed(() => copy.close()))[1]);
  }
  results.cloneSecondsPerFile = median(cloneRuns);
  results.dropSecondsPerFile = median(dropRuns);
  results.copyMegabytes = copyBytes / 1e6;

  // transaction: a clone per file, then BEGIN … ROLLBACK around every test.
  const copy: Farm = await cloneTemplate(template.url, 'measuretx');
  await copy.db.selectFrom('batch_batch').select('id').execute(); // open the pool's connection first
  const empty: number[] = [];
  const writing: number[] = [];
  for (let i = 0; i < 50; i++) {
    empty.push((await timed(async () => {
      const trx = await copy.db.startTransaction().execute();
      await trx.rollback().execute();
    }))[1]);
  }
  for (let i = 0; i < 5; i++) {
    writing.push((await timed(async () => {
      const trx = await copy.db.startTransaction().execute();
      await trx.deleteFrom('inventory_feedingevent').execute();
      await trx.rollback().execute();
    }))[1]);
  }
  results.transactionSecondsPerTest = median(empty);
  results.transactionDeleteFeedingSecondsPerTest = median(writing);
  await copy.close();

  // shared: the first file of the run makes the copy, every other file only opens it.
  const [shared, firstOpen] = await timed(() => openSharedCopy(template.url));
  await shared.close();
  const opens: number[] = [];
  for (let i = 0; i < 10; i++) {
    const [again, seconds] = await timed(() => openSharedCopy(template.url));
    opens.push(seconds);
    await again.close();
  }
  results.sharedFirstFileSeconds = firstOpen;
  results.sharedSecondsPerLaterFile = median(opens);
} finally {
  await template.close();
}

if (asJson) console.log(JSON.stringify({ preset, ...results }));
else for (const [name, value] of Object.entries(results)) console.log(`${preset}  ${name.padEnd(42)} ${value.toFixed(4)}`);
