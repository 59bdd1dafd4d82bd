import { expect } from 'vitest';
import { farmTest } from 'aquaseed/vitest';

// Read-only suites can share one copy of the farm for the whole run; nothing is cloned per file.
const test = farmTest.override({ farmPreset: 'single-batch', farmIsolation: 'shared' });

test('reads the run-wide shared copy of single-batch', async ({ farm }) => {
  expect(new URL(farm.url).pathname).toBe('/aquaseed_single_batch_shared');
  expect(farm.schedule.preset).toBe('single-batch');
  await expect(farm).toHaveSurvivalWithin(0.83, 0.87);
  await expect(farm).not.toHaveSurvivalWithin(0.9, 0.95);
  await expect(expect(farm).toHaveSurvivalWithin(0.9, 0.95)).rejects.toThrow(/batch FAR-2023-001: survival \d+\.\d % is outside 90\.0-95\.0 %/);
  // Other files read the same database: writes are refused.
  await expect(farm.db.deleteFrom('batch_growthsample').execute()).rejects.toThrow(/read-only transaction/);
});
