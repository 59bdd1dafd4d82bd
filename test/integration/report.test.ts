/**
 * `aquaseed report` on a seeded single-batch farm, opened in headless Chromium: every chart is drawn
 * by Chart.js with data, the checks table is there, and the page asks the network for nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
import { seedFarm, type Farm } from '../../src/index.js';
import { packageRoot } from '../../src/host/package-root.js';
import { chromiumLaunchOptions } from '../../fixtures/chromium.js';
import { runCli } from '../support/cli.js';

const outDir = join(packageRoot(), 'test-results');
const file = join(outDir, 'aquaseed-report.html');
let farm: Farm;
let browser: Browser;

beforeAll(async () => {
  await mkdir(outDir, { recursive: true });
  farm = await seedFarm('single-batch');
  browser = await chromium.launch(chromiumLaunchOptions());
});

afterAll(async () => {
  await browser?.close();
  await farm?.close();
});

describe('aquaseed report', () => {
  it('writes one self-contained HTML file whose charts all render offline', async () => {
    const result = await runCli(['report', '--database-url', farm.url, '-o', file, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split('\n').at(-1) as string) as { charts: number; emptyCharts: number; checksPassed: boolean };
    expect(summary).toMatchObject({ charts: 8, emptyCharts: 0, checksPassed: true });

    const html = await readFile(file, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/[^"'\s]*\.(js|css)/);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction('document.querySelectorAll("canvas").length > 0');

    // Runs in the page (the test's TypeScript has no DOM types, so it is passed as source).
    const charts = (await page.evaluate(`[...document.querySelectorAll('canvas')].map((canvas) => {
      const chart = Chart.getChart(canvas);
      return {
        id: canvas.id,
        type: chart ? chart.config.type : null,
        points: chart ? chart.data.datasets.reduce((n, dataset) => n + dataset.data.length, 0) : 0,
        drawn: canvas.width > 0 && canvas.height > 0,
      };
    })`)) as { id: string; type: string | null; points: number; drawn: boolean }[];
    expect(errors).toEqual([]);
    expect(charts.map((chart) => chart.id)).toEqual([
      'chart-population',
      'chart-weight',
      'chart-biomass',
      'chart-utilization',
      'chart-occupancy',
      'chart-survival',
      'chart-fcr',
      'chart-harvest-weight',
    ]);
    for (const chart of charts) {
      expect(chart, chart.id).toMatchObject({ drawn: true });
      expect(chart.type, chart.id).not.toBeNull();
      expect(chart.points, chart.id).toBeGreaterThan(0);
    }
    // The Gantt holds one bar per stay of the batch in a hall or area: every stage, egg to sea.
    expect(charts.find((chart) => chart.id === 'chart-occupancy')!.points).toBeGreaterThanOrEqual(6);

    const checkRows = await page.locator('#checks tbody tr').count();
    expect(checkRows).toBe(12);
    expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);

    await page.screenshot({ path: join(outDir, 'report.png'), fullPage: true });
    // The picture in the docs is refreshed on request only: a test run leaves the work tree clean.
    if (process.env.AQUASEED_UPDATE_DOCS === '1') await copyFile(join(outDir, 'report.png'), join(packageRoot(), 'docs', 'report.png'));
    await page.close();
  });
});
