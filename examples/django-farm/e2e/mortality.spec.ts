import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test, type Farm } from 'aquaseed/playwright';
import type { Page } from '@playwright/test';
import { ADMIN_PASSWORD } from '../playwright.config.js';

/** The sides this worker wrote in earlier tests: the next test checks their rows are gone. */
const writtenHere: string[] = [];

async function logIn(page: Page): Promise<void> {
  await page.goto('/login/'); // baseURL is this worker's app
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Active batches' })).toBeVisible();
}

/** An active batch of the farm and a container holding some of it, as the form lists them. */
async function batchInContainer(farm: Farm): Promise<{ batchId: number; batch: string; container: string }> {
  const row = await farm.db
    .selectFrom('batch_batchcontainerassignment as a')
    .innerJoin('batch_batch as b', 'b.id', 'a.batch_id')
    .innerJoin('infrastructure_container as c', 'c.id', 'a.container_id')
    .where('b.status', '=', 'ACTIVE')
    .where('a.is_active', '=', true)
    .select(['b.id as batchId', 'b.batch_number as batch', 'c.name as container'])
    .orderBy('b.batch_number')
    .orderBy('c.name')
    .executeTakeFirstOrThrow();
  return { batchId: Number(row.batchId), batch: row.batch, container: row.container };
}

/**
 * One test per side, run at the same time on the two workers (a rendezvous makes them meet): each
 * submits the form on its own app, checks exactly what the app wrote, then, once the other side
 * has written too, that its farm holds its own event and not the other's.
 */
for (const side of ['left', 'right']) {
  test(`the form records a mortality event as AquaMind would, and nothing else (${side})`, async ({ page, farm, app, baseURL }) => {
    expect(baseURL).toBe(app.url);
    const { batchId, batch, container } = await batchInContainer(farm);
    await logIn(page);
    await page.getByRole('link', { name: 'Record mortality' }).click();
    await page.getByLabel('Batch').selectOption({ label: batch });
    await page.getByLabel('Container').selectOption({ label: container });
    await page.getByLabel('Count').fill('250');
    await page.getByLabel('Cause').selectOption('DISEASE');
    await page.getByLabel('Date').fill(farm.schedule.asOf);
    await page.getByLabel('Description').fill(`e2e ${side}`);
    await page.getByRole('button', { name: 'Record' }).click();
    await expect(page.getByRole('status')).toHaveText(`Recorded 250 deaths in ${container} (${batch}).`);

    await expect(farm).toHaveWritten('batch_mortalityevent', {
      where: { count: 250, cause: 'DISEASE', event_date: farm.schedule.asOf, batch_id: batchId, description: `e2e ${side}` },
      count: 1,
      kind: 'inserted',
    });
    await expect(farm).toHaveWritten('batch_historicalmortalityevent', { history_type: '+', history_change_reason: 'created via API by admin', count: 250 });
    await expect(farm).toHaveWritten('farm_formaudit', 1);
    // The app ran at the farm's now (app.clock: 'asOf'): its auto_now timestamps say so.
    const event = (await farm.changes({ tables: ['batch_mortalityevent'] })).batch_mortalityevent!.inserted[0]!;
    expect((event.created_at as Date).toISOString().slice(0, 10)).toBe(farm.schedule.asOf);
    // The login's own bookkeeping is allowed by pattern; any other table is a failure.
    await expect(farm).toHaveChangedOnly([/^batch_(historical)?mortalityevent$/, 'farm_formaudit', 'django_session', 'auth_user']);
    await expect(farm).not.toHaveWritten('batch_batch');
    writtenHere.push(side);

    const other = side === 'left' ? 'right' : 'left';
    const theirs = await rendezvous(side, { app: app.url, database: farm.summary.database });
    // Two workers, two app servers, two databases.
    expect(theirs[other]).toBeDefined();
    expect(theirs[other]!.app).not.toBe(app.url);
    expect(theirs[other]!.database).not.toBe(farm.summary.database);
    const descriptions = await farm.db.selectFrom('batch_mortalityevent').select('description').where('description', 'like', 'e2e %').execute();
    expect(descriptions.map((row) => row.description)).toEqual([`e2e ${side}`]);
    await expect(farm).not.toHaveWritten('batch_mortalityevent', { description: `e2e ${other}` });
  });
}

test("a test sees neither the previous test's writes nor the other worker's", async ({ page, farm }) => {
  // Dispatched after the two sides, on a worker one of them used: its event was put back.
  expect(writtenHere.length, 'a test of this worker wrote before this one').toBeGreaterThan(0);
  await expect(farm).not.toHaveWritten('batch_mortalityevent');
  const rows = await farm.db.selectFrom('batch_mortalityevent').select('id').where('description', 'like', 'e2e %').execute();
  expect(rows).toEqual([]);
  // The browser runs at the farm's now too (farmClock: 'asOf').
  await page.goto('/health/');
  expect(await page.evaluate(() => new Date().toISOString().slice(0, 10))).toBe(farm.schedule.asOf);
});

interface Arrival {
  app: string;
  database: string;
}

/** Marks `side` as arrived (with what it runs on), waits (up to 30 s) for the other side of this run, and returns both. */
async function rendezvous(side: string, arrival: Arrival): Promise<Record<string, Arrival>> {
  const dir = join(test.info().project.outputDir, '.rendezvous', process.env.DJANGO_E2E_RUN ?? 'run');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${side}.json`), JSON.stringify(arrival));
  await expect
    .poll(async () => (await readdir(dir)).filter((name) => name.endsWith('.json')).length, {
      timeout: 30_000,
      message: `the other worker never arrived in ${dir}: the two tests did not run in parallel`,
    })
    .toBeGreaterThanOrEqual(2);
  const arrived: Record<string, Arrival> = {};
  for (const name of await readdir(dir)) arrived[name.replace(/\.json$/, '')] = JSON.parse(await readFile(join(dir, name), 'utf8')) as Arrival;
  return arrived;
}
