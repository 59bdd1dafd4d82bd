// farmTest's `app`: the app under test on the file's farm, over HTTP; `reset` puts back what it wrote.
import { expect } from 'vitest';
import { farmTest } from 'aquaseed/vitest';

const test = farmTest.override({ farmIsolation: 'reset' });
let pid = 0;

test("the app writes to the file's farm", async ({ app, farm }) => {
  pid = app.pid;
  expect(await (await fetch(`${app.url}/write?note=written+over+http`)).text()).toBe('written');
  await expect(farm).toHaveWritten('batch_batch', { notes: 'written over http' });
  expect(app.logs()).toContain('wrote written over http');
});

test('the next test of the file has the same app, on the farm as seeded', async ({ app, farm }) => {
  expect(app.pid).toBe(pid);
  await expect(farm).not.toHaveWritten('batch_batch');
  const notes = await farm.db.selectFrom('batch_batch').select('notes').where('notes', '=', 'written over http').execute();
  expect(notes).toEqual([]);
});
