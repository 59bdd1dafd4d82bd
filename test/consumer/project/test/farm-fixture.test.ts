import { expect } from 'vitest';
import { farmTest } from 'aquaseed/vitest';

farmTest('gets its own copy of the seeded farm', async ({ farm }) => {
  await expect(farm).toHaveSurvivalWithin(0.83, 0.87);
  await expect(farm).not.toHaveSurvivalWithin(0.9, 0.95);
});

// For suites that write through `db`: each test's transaction is rolled back afterwards.
const txTest = farmTest.override({ farmIsolation: 'transaction' });

txTest('sees its own writes, and nobody else does', async ({ db }) => {
  await db.deleteFrom('inventory_feedingevent').execute();
  await expect(db).not.toMatchPresetVolumes();
});
