import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mergeExpects } from '@playwright/test';
import { expect as farmExpect } from 'aquaseed/playwright';
import { dashboardExpect, test } from './fixtures.js';

const expect = mergeExpects(farmExpect, dashboardExpect);

test('shows the active batches by stage, as the database holds them', async ({ page, farm, dashboard, snap }) => {
  await page.goto(dashboard.url);
  await expect(page).toHaveTitle('Farm dashboard');
  const active = await farm.db
    .selectFrom('batch_batch as b')
    .innerJoin('batch_lifecyclestage as s', 's.id', 'b.lifecycle_stage_id')
    .where('b.status', '=', 'ACTIVE')
    .select(['s.name as stage'])
    .execute();
  expect(active.length).toBe(4); // tiny: one batch in each of the first four stages
  const table = page.getByTestId('batches-by-stage');
  for (const stage of ['Egg&Alevin', 'Fry', 'Parr', 'Smolt']) {
    await expect(table.getByRole('row', { name: `${stage} 1`, exact: true })).toBeVisible();
  }
  await expect(page).toShowRows('batches-by-stage', 6);
  const path = await snap('dashboard');
  expect(path).toContain('test-results');
  expect((await stat(path)).size).toBeGreaterThan(10_000); // a real PNG of the page, not an empty file
});

test('shows utilization for the halls in use and draws a growth curve', async ({ page, farm, dashboard }) => {
  await page.goto(dashboard.url);
  const { occupied } = await farm.db
    .selectFrom('batch_batchcontainerassignment')
    .where('is_active', '=', true)
    .select((eb) => eb.fn.count<string>('container_id').distinct().as('occupied'))
    .executeTakeFirstOrThrow();
  const cells = await page.getByTestId('utilization').locator('tbody tr td:nth-child(3)').allTextContents();
  const shown = cells.reduce((sum, cell) => sum + Number(cell.split('/')[0]), 0);
  expect(shown).toBe(Number(occupied));
  const points = (await page.locator('[data-testid="growth-curve"] polyline').getAttribute('points'))?.trim().split(/\s+/) ?? [];
  expect(points.length).toBeGreaterThan(1);
  await expect(page.getByTestId('growth-curve')).toContainText(`${points.length} samples`);
});

test('the farm matchers work in Playwright, with .not and a message naming the batch', async ({ farm }) => {
  await expect(farm).toHaveNoContainerConflicts();
  await expect(farm).toHaveFullEnvironmentalLinkage();
  await expect(farm).not.toHavePopulationAtDay(1, { min: 1, max: 2 });
  const failure = await expect(farm)
    .toHavePopulationAtDay(1, { min: 1, max: 2 })
    .then(() => null, (error: Error) => error);
  expect(failure?.message).toMatch(/batch (FAR|SCO)-\d{4}-\d{3}: .* is outside /);
  const notFailure = await expect(farm)
    .not.toHaveNoContainerConflicts()
    .then(() => null, (error: Error) => error);
  expect(notFailure?.message).toMatch(/expect\(farm\)\.not\.toHaveNoContainerConflicts\(\)/);
  expect(notFailure?.message).toContain('but it passed');
});

/**
 * Two tests that must run at the same time, one in each worker: each changes its own database,
 * waits until the other has changed its own, then checks it sees only its own change. On one
 * shared database, or run one after the other in a single worker, this fails.
 */
for (const side of ['left', 'right']) {
  test(`worker on its own database (${side})`, async ({ page, farm, dashboard }, testInfo) => {
    const database = new URL(farm.url).pathname.slice(1);
    expect(database).toBe(`aquaseed_tiny_w${testInfo.parallelIndex}`);
    const first = await farm.db.selectFrom('batch_batch').select('batch_number').orderBy('batch_number').executeTakeFirstOrThrow();
    await farm.db.updateTable('batch_batch').set({ status: 'TERMINATED', notes: `e2e ${side}` }).where('batch_number', '=', first.batch_number).execute();
    try {
      await rendezvous(side);
      const notes = await farm.db.selectFrom('batch_batch').select('notes').where('notes', 'like', 'e2e %').execute();
      expect(notes.map((row) => row.notes)).toEqual([`e2e ${side}`]);
      await page.goto(dashboard.url);
      // Post-Smolt and Adult hold no batch in tiny; the stage of the changed batch now holds none either.
      await expect(page).toShowRows('batches-by-stage', 6);
      await expect(page.getByTestId('batches-by-stage').getByRole('row', { name: / 0$/ })).toHaveCount(3);
    } finally {
      await farm.db.updateTable('batch_batch').set({ status: 'ACTIVE', notes: '' }).where('batch_number', '=', first.batch_number).execute();
    }
  });
}

/** Marks `side` as arrived and waits (up to 30 s) for the other side of this run. */
async function rendezvous(side: string): Promise<void> {
  const dir = join(test.info().project.outputDir, '.rendezvous', process.env.DASHBOARD_E2E_RUN ?? 'run');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, side), '');
  await expect
    .poll(async () => (await readdir(dir)).length, {
      timeout: 30_000,
      message: `the other worker never arrived in ${dir}: the two tests did not run in parallel`,
    })
    .toBeGreaterThanOrEqual(2);
}
