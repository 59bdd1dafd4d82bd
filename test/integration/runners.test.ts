/**
 * The pieces behind the runner fixtures, on a real seeded farm: opening a farm by URL, per-file and
 * per-worker clones of a template, the run's shared copy, and farmTest without a global setup.
 */
import { queryOnce } from '../../src/db/client.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { farmTest } from 'aquaseed/vitest';
import { openFarm, seedFarm, type Farm } from 'aquaseed';
import { cloneTemplate, copyName, openSharedCopy, siblingUrl } from '../../src/isolation/template.js';
import { templatesFromEnv } from '../../fixtures/playwright-templates.js';
import { defaultIsolation } from '../../fixtures/vitest.js';

let template: Farm;

beforeAll(async () => {
  // Like a global setup, nothing here queries template.db: a session on it would block cloning.
  template = await seedFarm('tiny');
});

afterAll(async () => {
  await template?.close();
});

async function databases(url: string): Promise<string[]> {
  const { rows } = await queryOnce<{ datname: string }>(siblingUrl(url, 'postgres'), 'SELECT datname FROM pg_database ORDER BY datname');
  return rows.map((row) => row.datname);
}

describe('openFarm', () => {
  it('reads schedule, key and row counts from the database it opens, and drops it only when asked', async () => {
    const copy = await cloneTemplate(template.url, 'open');
    expect(copy.url).toBe(siblingUrl(template.url, 'aquaseed_tiny_open'));
    expect(copy.key).toBe(template.key);
    expect(copy.schedule).toEqual(template.schedule);
    expect(copy.summary.rowCounts).toEqual(template.summary.rowCounts);
    expect(await copy.counts()).toEqual(expect.objectContaining({ batch_batch: 4 }));

    const again = await openFarm(copy.url);
    await again.close(); // no onClose: the database stays
    expect(await databases(template.url)).toContain('aquaseed_tiny_open');

    await copy.close(); // cloneTemplate's onClose drops it
    expect(await databases(template.url)).not.toContain('aquaseed_tiny_open');
  });

  it('refuses a database aquaseed did not seed, naming it', async () => {
    const postgres = siblingUrl(template.url, 'postgres');
    await expect(openFarm(postgres)).rejects.toMatchObject({
      code: 'AQUASEED_NOT_SEEDED',
      message: expect.stringContaining('database "postgres" holds no aquaseed farm'),
    });
  });

  it('refuses a URL that names no database', async () => {
    await expect(openFarm('postgres://me@localhost:5432')).rejects.toMatchObject({ code: 'AQUASEED_INVALID_OPTION' });
  });
});

describe('copies of a template', () => {
  it('replaces a copy a crashed worker left behind, so a restarted worker can reuse its name', async () => {
    const first = await cloneTemplate(template.url, 'w0');
    await first.db.deleteFrom('inventory_feedingevent').execute();
    await first.db.destroy();
    const second = await cloneTemplate(template.url, 'w0'); // `first` was never closed
    const { n } = await second.db.selectFrom('inventory_feedingevent').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n)).toBe(template.summary.rowCounts.inventory_feedingevent);
    await second.close();
  });

  it('creates the shared copy once, however many workers ask at the same time, and refuses writes to it', async () => {
    const [a, b, c] = await Promise.all([openSharedCopy(template.url), openSharedCopy(template.url), openSharedCopy(template.url)]);
    expect(new Set([a!.url, b!.url, c!.url]).size).toBe(1);
    expect(a!.url).toBe(siblingUrl(template.url, 'aquaseed_tiny_shared'));
    // Read-only: one file's write would otherwise show up in every other file.
    await expect(a!.db.deleteFrom('inventory_feedingevent').execute()).rejects.toMatchObject({ code: '25006' });
    await Promise.all([a!.close(), b!.close(), c!.close()]);
    // Closing a handle never drops the shared copy: other files may still read it.
    expect(await databases(template.url)).toContain('aquaseed_tiny_shared');
  });

  it('keeps long names within PostgreSQL identifiers, suffix intact', () => {
    const name = copyName(`postgres://u@h/${'x'.repeat(70)}`, 'f2_123456');
    expect(name.length).toBe(63);
    expect(name.endsWith('_f2_123456')).toBe(true);
  });
});

describe('runner configuration', () => {
  it('reads Playwright template URLs from the environment and rejects garbage, naming it', () => {
    expect(templatesFromEnv({ AQUASEED_TEMPLATES: '{"tiny":"postgres://h/aquaseed_tiny"}' })).toEqual({ tiny: 'postgres://h/aquaseed_tiny' });
    expect(templatesFromEnv({})).toEqual({});
    expect(() => templatesFromEnv({ AQUASEED_TEMPLATES: '["tiny"' })).toThrow(/AQUASEED_TEMPLATES "\[\\"tiny\\"" is not a JSON object/);
  });

  it('clones cheap presets and shares costly ones by default', () => {
    expect(defaultIsolation('tiny')).toBe('clone');
    expect(defaultIsolation('single-batch')).toBe('clone');
    expect(defaultIsolation('40-batch')).toBe('shared');
    expect(defaultIsolation('full-saturation')).toBe('shared');
  });
});

// No aquaseed global setup in this run: the file seeds its own farm (from the snapshot cache).
const tinyTest = farmTest.override({ farmPreset: 'tiny' });

tinyTest('farmTest without a global setup seeds the file its own farm', async ({ farm, db, farmIsolation }) => {
  expect(farmIsolation).toBe('clone');
  expect(farm.schedule.preset).toBe('tiny');
  expect(farm.summary.provider).toBe('embedded');
  expect(farm.url).not.toBe(template.url);
  expect(db).toBe(farm.db);
  await expect(farm).toHaveNoContainerConflicts();
});
