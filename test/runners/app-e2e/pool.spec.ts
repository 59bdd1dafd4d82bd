// A reset with the app's pool connected: one of its connections left inside an open transaction
// that wrote (the reset waits for it, then ends it), the others idle. The next test starts from
// the farm as seeded, and the app still answers on its other connection.
import { test, expect } from 'aquaseed/playwright';
import { recordPid } from './pids.js';

test('the app leaves a transaction open', async ({ app }) => {
  await recordPid(app, 'pool-1');
  expect(await (await fetch(`${app.url}/hold`)).text()).toBe('held');
});

test('the next test sees the farm as seeded, and the app still writes', async ({ app, farm }) => {
  await recordPid(app, 'pool-2');
  const held = await farm.db.selectFrom('batch_batch').select('notes').where('notes', '=', 'held open').execute();
  expect(held).toEqual([]);
  expect(await (await fetch(`${app.url}/write?note=after+the+reset`)).text()).toBe('written');
  await expect(farm).toHaveWritten('batch_batch', { notes: 'after the reset' });
});
