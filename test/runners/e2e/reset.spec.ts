import { test, expect } from 'aquaseed/playwright';
import { asApp, stateOf } from '../../support/app-connection.js';

let seeded: Awaited<ReturnType<typeof stateOf>>;

test("starts on the worker's reset copy", async ({ farm }) => {
  expect(farm.summary.database).toMatch(/^aquaseed_tiny_r0$/);
  seeded = await stateOf(farm.url);
});

test('lets an app write through its own connection', async ({ farm }) => {
  await asApp(farm.url, ['DELETE FROM inventory_feedingevent', `UPDATE batch_batch SET notes = 'written by the app'`]);
});

test('finds every table and sequence as seeded again', async ({ farm }) => {
  expect(await stateOf(farm.url)).toEqual(seeded);
});

// Last: Playwright starts a new worker after a failure.
test('fails after the app wrote (its database is kept)', async ({ farm }) => {
  await asApp(farm.url, [`UPDATE batch_batch SET notes = 'kept by a failed playwright test'`]);
  expect('the failure').toBe('on purpose');
});
