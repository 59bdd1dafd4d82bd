/**
 * farmTest's `reset` isolation without a global setup: the file seeds its own farm, which serves
 * as the template of the file's tracked copy; every test starts from the seeded state.
 */
import { expect } from 'vitest';
import { farmTest } from 'aquaseed/vitest';

const test = farmTest.override({ farmPreset: 'tiny', farmIsolation: 'reset' });

test('writes to a tracked copy of the file’s own seed', async ({ farm, db }) => {
  expect(farm.summary.database).toBe('aquaseed_tiny_r');
  expect(db).toBe(farm.db);
  await farm.db.deleteFrom('batch_mortalityevent').execute();
  await farm.db.updateTable('batch_batch').set({ notes: 'written by the first test' }).execute();
  expect(await farm.counts()).toMatchObject({ batch_mortalityevent: 0 });
});

test('starts from the seeded farm again', async ({ farm }) => {
  expect(await farm.counts()).toMatchObject({ batch_mortalityevent: farm.summary.rowCounts.batch_mortalityevent });
  expect(await farm.db.selectFrom('batch_batch').select('notes').where('notes', '=', 'written by the first test').execute()).toEqual([]);
  await expect(farm).toMatchPresetVolumes();
});
