// keepFailed with an app: the failed test's database is kept, and an app left running on it.
import { test, expect } from 'aquaseed/playwright';
import { recordPid } from './pids.js';

test('fails after the app wrote (kept, with its app)', async ({ app }) => {
  await recordPid(app, 'kept-1');
  expect(await (await fetch(`${app.url}/write?note=kept+with+its+app`)).text()).toBe('written');
  expect('the failure').toBe('on purpose');
});
