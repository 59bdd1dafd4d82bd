// A chain of tests on one worker slot: the database is the slot's for the whole run, so the test
// after a failure (run by a new worker) still sees what the chain wrote before it.
import { test, expect } from 'aquaseed/playwright';
import { recordPid } from './pids.js';

test('the chain writes through the app', async ({ farm, app }) => {
  await recordPid(app, 'slot-1');
  expect(farm.summary.database).toMatch(/_s0$/);
  expect(await (await fetch(`${app.url}/write?note=written+by+the+chain`)).text()).toBe('written');
});

test('fails on purpose (Playwright replaces the worker)', async ({ app }) => {
  await recordPid(app, 'slot-2');
  expect('the failure').toBe('on purpose');
});

test("the next worker on the slot sees the chain's rows", async ({ farm, app }, testInfo) => {
  await recordPid(app, 'slot-3');
  expect(testInfo.workerIndex).toBeGreaterThan(0);
  expect(farm.summary.database).toMatch(/_s0$/);
  const row = await farm.db.selectFrom('batch_batch').select('notes').orderBy('id').limit(1).executeTakeFirstOrThrow();
  expect(row.notes).toBe('written by the chain');
});
