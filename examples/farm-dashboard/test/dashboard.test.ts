import { expect } from 'vitest';
import { farmTest } from 'aquaseed/vitest';
import { startDashboard } from '../src/server.js';
import type { DashboardData } from '../src/queries.js';

// The config's first preset (tiny), in a copy of the run's template made for this file.
farmTest('serves the farm it was pointed at', async ({ farm }) => {
  const dashboard = await startDashboard({ databaseUrl: farm.url });
  try {
    const data = (await (await fetch(new URL('api/dashboard', dashboard.url))).json()) as DashboardData;
    expect(data.batches).toHaveLength(4);
    expect(data.byStage.filter((row) => row.batches > 0).map((row) => row.stage)).toEqual(['Egg&Alevin', 'Fry', 'Parr', 'Smolt']);
    expect(data.growth?.points.length).toBeGreaterThan(1);
    const html = await (await fetch(dashboard.url)).text();
    expect(html).toContain('<polyline');
  } finally {
    await dashboard.close();
  }
});

farmTest('runs on a private copy of the template', async ({ farm, farmIsolation }) => {
  expect(farmIsolation).toBe('clone');
  expect(new URL(farm.url).pathname).toMatch(/^\/aquaseed_tiny_f\d+_\d+$/);
  expect(farm.schedule.preset).toBe('tiny');
  await expect(farm).toHaveNoContainerConflicts();
  await expect(farm).not.toHavePopulationAtDay(1, { min: 1, max: 2 });
});
