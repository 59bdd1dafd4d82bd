import { expect } from 'vitest';
import { farmTest } from 'aquaseed/vitest';
import { asApp } from '../../support/app-connection.js';

// Reset once per file: the file's tests see each other's writes, the next file does not.
const test = farmTest.override({ farmIsolation: 'reset', farmReset: 'file' });

test("starts on the worker's copy with nothing a former file wrote", async ({ farm }) => {
  expect(farm.summary.database).toMatch(/^aquaseed_tiny_r\d+$/);
  expect(await farm.counts()).toMatchObject({ batch_mortalityevent: farm.summary.rowCounts.batch_mortalityevent });
  expect(await farm.db.selectFrom('batch_batch').select('notes').where('notes', 'like', 'written%').execute()).toEqual([]);
  await asApp(farm.url, [`UPDATE batch_batch SET notes = 'written by the first test'`]);
});

test("sees the file's earlier writes", async ({ farm }) => {
  expect((await farm.db.selectFrom('batch_batch').select('notes').distinct().execute()).map((row) => row.notes)).toEqual(['written by the first test']);
});
