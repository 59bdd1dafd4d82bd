import { expect as baseExpect, mergeExpects, mergeTests, test as base } from '@playwright/test';
import { test as farmTest, expect as farmExpect } from 'aquaseed/playwright';

const myTest = base.extend<{ today: string }>({ today: async ({}, use) => use('2025-11-21') });
const myExpect = baseExpect.extend({
  toBeIsoDate(received: string) {
    const pass = /^\d{4}-\d{2}-\d{2}$/.test(received);
    return { pass, message: () => `expected ${received} to be an ISO date` };
  },
});

const test = mergeTests(farmTest, myTest);
const expect = mergeExpects(farmExpect, myExpect);

test('your fixtures and matchers next to the farm', async ({ farm, today }) => {
  expect(today).toBeIsoDate();
  await expect(farm).toHaveFullEnvironmentalLinkage();
});
