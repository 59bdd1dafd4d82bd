/**
 * The "today" views on a farm dated today (e2e/today-farm.yaml) with two incidents: an untreated
 * lice outbreak two days ago and an oxygen drop yesterday. The dashboard looks back from its own
 * today; the farm's rows must be there for it, and its alerts must be the farm's incidents.
 */
import { stat } from 'node:fs/promises';
import { mergeExpects } from '@playwright/test';
import { sql } from 'kysely';
import { expect as farmExpect } from 'aquaseed/playwright';
import { dashboardExpect, test } from './fixtures.js';

const expect = mergeExpects(farmExpect, dashboardExpect);

const daysBefore = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

test('the farm is dated the run’s today, with its two incidents in the data', async ({ farm }) => {
  expect(farm.schedule.asOf).toBe(process.env.AQUASEED_TODAY);
  expect(farm.schedule.incidents?.map((incident) => incident.kind)).toEqual(['lice-outbreak', 'oxygen-drop']);
  await expect(farm).toHaveIncident('lice-outbreak', { batch: 'E2E-520', container: 'Ring-02', treated: false });
  await expect(farm).toHaveIncident('oxygen-drop', { batch: 'E2E-140', container: 'C03', day: daysBefore(farm.schedule.asOf, 1) });
  await expect(farm).not.toHaveIncident('mortality-spike');
  await expect(farm).toPassAllChecks();
});

test('the last 7 days end today, at 00:00: readings, meals and deaths on every day before it, none yet today', async ({ page, farm, dashboard }) => {
  const today = farm.schedule.asOf;
  await page.goto(new URL('last-7-days', dashboard.url).href);
  await expect(page).toHaveTitle('Farm dashboard: last 7 days');
  await expect(page.getByTestId('today')).toHaveText(`Today: ${today}`);
  await expect(page).toShowRows('last-7-days', 7);
  const rows = page.getByTestId('last-7-days').locator('tbody tr');
  await expect(rows.first()).toHaveAttribute('data-date', daysBefore(today, 6));
  await expect(rows.last()).toHaveAttribute('data-date', today);
  const readingsOn = async (day: string): Promise<number> => {
    const { readings } = await farm.db
      .selectFrom('environmental_environmentalreading')
      .where(sql<boolean>`(reading_time AT TIME ZONE 'UTC')::date = CAST(${day} AS date)`)
      .select((eb) => eb.fn.countAll<string>().as('readings'))
      .executeTakeFirstOrThrow();
    return Number(readings);
  };
  // A farm dated `today` is the farm at 00:00 UTC: nothing has happened today yet.
  expect(await readingsOn(today)).toBe(0);
  await expect(rows.last().locator('td').nth(1)).toHaveText('0');
  // Two batches: a Fry hall of 10 tanks (7 sensors, 6 readings a day) and 4 rings (3 sensors) …
  const dayBefore = daysBefore(today, 2);
  expect(await readingsOn(dayBefore)).toBe(10 * 7 * 6 + 4 * 3 * 6);
  await expect(page.getByTestId('last-7-days').locator(`tr[data-date="${dayBefore}"] td`).nth(1)).toHaveText(String(10 * 7 * 6 + 4 * 3 * 6));
  // … and yesterday the oxygen drop's three extra hourly readings, down to about 60 %.
  const yesterday = page.getByTestId('last-7-days').locator(`tr[data-date="${daysBefore(today, 1)}"] td`);
  await expect(yesterday.nth(1)).toHaveText(String(10 * 7 * 6 + 4 * 3 * 6 + 3));
  expect(Number(await yesterday.nth(4).textContent())).toBeLessThan(65);
  for (const row of (await rows.all()).slice(0, -1)) {
    const cells = await row.locator('td').allTextContents();
    expect(Number(cells[5]), `deaths on ${cells[0]}`).toBeGreaterThan(0);
    expect(Number(cells[6]), `feed on ${cells[0]}`).toBeGreaterThan(0);
  }
});

test('the alerts show the lice outbreak that needs treatment and yesterday’s oxygen drop', async ({ page, farm, dashboard, snap }) => {
  const today = farm.schedule.asOf;
  await page.goto(dashboard.url);
  await page.getByRole('link', { name: 'Alerts' }).click();
  await expect(page).toHaveTitle('Farm dashboard: alerts');
  const lice = page.locator('[data-testid="alerts"] tr[data-kind="lice"]');
  await expect(lice).toHaveCount(1);
  await expect(lice).toContainText('FAR-E2E-520');
  await expect(lice).toContainText(/FI-SEA-\d{2}-Ring-02/);
  await expect(lice).toContainText(daysBefore(today, 2));
  await expect(lice).toContainText('needs treatment');
  const oxygen = page.locator('[data-testid="alerts"] tr[data-kind="oxygen"]');
  await expect(oxygen).toHaveCount(1);
  await expect(oxygen).toContainText('FAR-E2E-140');
  await expect(oxygen).toContainText(/FI-FW-\d{2}-B-C03/);
  await expect(oxygen).toContainText(daysBefore(today, 1));
  await expect(oxygen).toContainText('4 readings below 80 %');
  // Nothing the farm does not have: no spike, disease, heat or feed alarm; overdue work only from
  // the planned activities the preset leaves pending (overdueActivityDays).
  for (const kind of ['mortality', 'disease', 'temperature', 'feed']) {
    await expect(page.locator(`[data-testid="alerts"] tr[data-kind="${kind}"]`)).toHaveCount(0);
  }
  const overdue = await farm.db
    .selectFrom('planning_plannedactivity')
    .where('status', '=', 'PENDING')
    .where('due_date', '<', today)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  // FAR-E2E-140's feed change of day 135 is five days late.
  expect(Number(overdue.n)).toBeGreaterThan(0);
  await expect(page.locator('[data-testid="alerts"] tr[data-kind="overdue"]')).toHaveCount(Number(overdue.n));
  await expect(page.locator('[data-testid="alerts"] tr[data-kind="overdue"]').first()).toContainText('FEED_CHANGE overdue by 5 days');
  const path = await snap('alerts');
  expect((await stat(path)).size).toBeGreaterThan(10_000);
});
