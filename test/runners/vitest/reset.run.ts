import { expect } from 'vitest';
import { farmTest } from 'aquaseed/vitest';
import { asApp, stateOf } from '../../support/app-connection.js';

const test = farmTest.override({ farmIsolation: 'reset' });
let seeded: Awaited<ReturnType<typeof stateOf>>;

test("starts on the worker's copy, as seeded", async ({ farm }) => {
  expect(farm.summary.database).toMatch(/^aquaseed_tiny_r\d+$/);
  seeded = await stateOf(farm.url);
  expect(Object.fromEntries(Object.entries(seeded.tables).map(([name, sum]) => [name.replace('public.', ''), sum.rows]))).toMatchObject(farm.summary.rowCounts);
});

test('lets an app write through its own connection', async ({ farm }) => {
  await asApp(farm.url, [
    'DELETE FROM batch_mortalityevent',
    `UPDATE batch_batch SET notes = 'written by the app'`,
    `INSERT INTO health_journalentry SELECT * FROM health_journalentry ORDER BY id LIMIT 0`,
    `SELECT nextval(pg_get_serial_sequence('batch_batch', 'id'))`,
  ]);
  expect(await farm.db.selectFrom('batch_mortalityevent').select('id').execute()).toEqual([]);
});

test('finds every table and sequence as seeded again', async ({ farm }) => {
  expect(await stateOf(farm.url)).toEqual(seeded);
});
