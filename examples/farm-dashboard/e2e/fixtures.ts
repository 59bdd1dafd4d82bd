/**
 * The suite's own fixtures, composed with aquaseed's: `mergeTests` for a screenshot helper that
 * knows nothing of farms, `.extend` for the dashboard server that runs on the worker's farm, and
 * one custom matcher that the spec merges with aquaseed's through `mergeExpects`.
 */
import { expect as baseExpect, mergeTests, test as base, type Page } from '@playwright/test';
import { test as farmTest } from 'aquaseed/playwright';
import { startDashboard, type Dashboard } from '../src/server.js';

const screenshotTest = base.extend<{ snap: (name: string) => Promise<string> }>({
  snap: async ({ page }, use, testInfo) => {
    await use(async (name) => {
      // A file under test-results/ and an attachment in the report.
      const path = testInfo.outputPath(`${name}.png`);
      await page.screenshot({ path, fullPage: true });
      await testInfo.attach(name, { path, contentType: 'image/png' });
      return path;
    });
  },
});

export const test = mergeTests(farmTest, screenshotTest).extend<object, { dashboard: Dashboard }>({
  dashboard: [
    async ({ farm }, use) => {
      // The run's today (playwright.config.ts pins it), the day the alerts farm is dated to.
      const dashboard = await startDashboard({ databaseUrl: farm.url, today: () => process.env.AQUASEED_TODAY ?? new Date().toISOString().slice(0, 10) });
      try {
        await use(dashboard);
      } finally {
        await dashboard.close();
      }
    },
    { scope: 'worker' },
  ],
});

export const dashboardExpect = baseExpect.extend({
  async toShowRows(page: Page, testId: string, expected: number) {
    const rows = page.getByTestId(testId).locator('tbody tr');
    const actual = await rows.count();
    return {
      pass: actual === expected,
      name: 'toShowRows',
      message: () => `expected ${testId} to show ${expected} rows, it shows ${actual}`,
    };
  },
});
