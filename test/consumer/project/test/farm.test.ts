import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedFarm, type Farm } from 'aquaseed/vitest'; // also registers the typed matchers

let farm: Farm;
beforeAll(async () => {
  farm = await seedFarm('single-batch'); // its own embedded server, removed on close()
});
afterAll(() => farm.close());

it('is a healthy farm', async () => {
  await expect(farm).toHaveSurvivalWithin(0.83, 0.87);
  await expect(farm).toHavePopulationAtDay(91, { min: 2_800_000, max: 3_200_000 });
  await expect(farm).toHaveFullEnvironmentalLinkage();
  await expect(farm).toHaveNoContainerConflicts();
});

it('answers queries through a typed Kysely handle', async () => {
  const batches = await farm.db.selectFrom('batch_batch').select(['batch_number', 'status']).execute();
  expect(batches).toEqual([{ batch_number: 'FAR-2023-001', status: 'COMPLETED' }]);
});
