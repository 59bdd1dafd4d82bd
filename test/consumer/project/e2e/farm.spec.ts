import { test, expect } from 'aquaseed/playwright';

test.use({ farmPreset: 'single-batch' }); // one seeded database per worker

test('the farm behind the app is consistent', async ({ farm }) => {
  await expect(farm).toHaveNoContainerConflicts();
  // start your app with DATABASE_URL=farm.url and drive it with `page`
});
