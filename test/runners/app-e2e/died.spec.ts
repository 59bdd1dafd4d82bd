// The app dies in the middle of a test: that test fails saying so, with the app's last output;
// the next test gets a new app.
import { test, expect } from 'aquaseed/playwright';
import { recordPid } from './pids.js';

test('the app dies during this test', async ({ app }) => {
  await recordPid(app, 'died-1');
  expect(await (await fetch(`${app.url}/die`)).text()).toBe('bye');
});

test('the next test gets a new app', async ({ app }) => {
  await recordPid(app, 'died-2');
  expect(await (await fetch(`${app.url}/health`)).text()).toBe('ok');
});
