import { expect } from 'vitest';
import { farmTest } from 'aquaseed/vitest';
import { asApp } from '../../support/app-connection.js';

const test = farmTest.override({ farmIsolation: 'reset', keepFailed: true });

test('fails after the app wrote (its database is kept)', async ({ farm }) => {
  await asApp(farm.url, [`UPDATE batch_batch SET notes = 'kept by a failed reset test'`]);
  expect('the failure').toBe('on purpose');
});

test('runs on a copy reset after the failure', async ({ farm }) => {
  expect(await farm.db.selectFrom('batch_batch').select('notes').where('notes', 'like', 'kept%').execute()).toEqual([]);
});
