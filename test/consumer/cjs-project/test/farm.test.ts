import { expect } from 'vitest';
import { farmTest } from 'aquaseed/vitest';
import { cacheKey } from 'aquaseed';

farmTest('a CommonJS project gets its copy of the farm', async ({ farm }) => {
  expect(farm.key).toBe(cacheKey('tiny'));
  await expect(farm).toHaveNoContainerConflicts();
});
