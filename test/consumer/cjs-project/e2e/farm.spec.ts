import { test, expect } from 'aquaseed/playwright';

test('a CommonJS project compiles its specs to require() and gets the farm', async ({ farm }) => {
  await expect(farm).toHaveNoContainerConflicts();
  expect((await farm.counts()).batch_batch).toBe(4);
});
