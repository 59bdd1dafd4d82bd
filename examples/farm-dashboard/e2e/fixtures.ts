/**
 * The suite's own fixtures, composed with aquaseed's: `mergeTests` for a screenshot helper that
 * knows nothing of farms, `.extend` for the dashboard, and one custom matcher that the spec merges
 * with aquaseed's through `mergeExpects`. The dashboard is aquaseed's `app` (playwright.config.ts):
 * a process of its own per worker, on the worker's farm.
 */
import { expect as baseExpect, mergeTests, test as base, type Page } from '@playwright/test';
import { test as farmTest } from 'aquaseed/playwright';
import type { Dashboard } from '../src/server.js';

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
    // The worker's app (use.app): started by aquaseed with the farm's DATABASE_URL and a free PORT.
    async ({ app }, use) => use({ url: `${app.url}/`, close: async () => {} }),
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
