import { expect } from 'vitest';
import { farmTest } from 'aquaseed/vitest';
import { asApp } from '../../support/app-connection.js';

const test = farmTest.override({ farmIsolation: 'clone', keepFailed: true });

test('fails after writing to its clone (the clone is kept)', async ({ farm }) => {
  await asApp(farm.url, [`UPDATE batch_batch SET notes = 'kept by a failed clone test'`]);
  expect('the failure').toBe('on purpose');
});
