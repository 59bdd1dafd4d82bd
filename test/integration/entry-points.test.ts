/**
 * The published entry points, imported by package name (resolved through package.json#exports to
 * the built dist/, as a consumer gets them), and the foundation's quality criteria as matchers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFarm, type Farm } from 'aquaseed/vitest';
import * as api from 'aquaseed';
import { aquaseedMatchers } from 'aquaseed/matchers';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../src/host/package-root.js';

let farm: Farm;

beforeAll(async () => {
  farm = await seedFarm('single-batch');
});

afterAll(async () => {
  await farm?.close();
});

describe('a single-batch farm', () => {
  it('lands within the documented quality ranges', async () => {
    await expect(farm).toHaveSurvivalWithin(0.83, 0.87);
    await expect(farm).toHaveFcrWithin(0.9, 3.0);
    await expect(farm).toHaveHarvestWeightsWithin(4.5, 6.5);
    await expect(farm).toHavePopulationAtDay(91, { min: 2_800_000, max: 3_200_000 });
  });

  it('links every reading to its assignment and never double-books a container', async () => {
    await expect(farm).toHaveFullEnvironmentalLinkage();
    await expect(farm).toHaveNoContainerConflicts();
    await expect(farm).toHaveAllStages();
    await expect(farm).toHaveNonNegativeFeedStock();
    await expect(farm).toPassAllChecks();
  });

  it('fails a matcher with the batch and the number in the message', async () => {
    await expect(farm).not.toHaveSurvivalWithin(0.9, 0.95);
    await expect(expect(farm).toHaveSurvivalWithin(0.9, 0.95)).rejects.toThrow(/batch FAR-2023-001: survival \d+\.\d %/);
  });

  it('explains a .not that failed: the call as written, and why the farm passed', async () => {
    const failure = await expect(farm)
      .not.toHaveSurvivalWithin(0.83, 0.87)
      .then(() => null, (error: Error) => error);
    expect(failure?.message).toMatch(/^expect\(farm\)\.not\.toHaveSurvivalWithin\(0\.83, 0\.87\)\n/);
    expect(failure?.message).toMatch(/expected the farm to fail the survival check \(expected 83\.0-87\.0 %\), but it passed/);
  });
});

describe('the typed Kysely handle', () => {
  it('answers the README query', async () => {
    const batches = await farm.db.selectFrom('batch_batch').select(['batch_number', 'status']).execute();
    expect(batches).toEqual([{ batch_number: 'FAR-2023-001', status: 'COMPLETED' }]);
  });
});

describe('entry points', () => {
  it('exports the library API and the matcher set', async () => {
    // The root's values; its types and the other entry points are pinned by api/*.api.md (npm run api:check).
    expect(Object.keys(api).sort()).toEqual(
      ['AquaseedError', 'ClonePool', 'cacheKey', 'incidentEvidence', 'isAquaseedError', 'openFarm', 'planSchedule', 'scheduleStats', 'seedFarm', 'verifyFarm'].sort(),
    );
    expect(typeof api.seedFarm).toBe('function');
    expect(typeof api.planSchedule).toBe('function');
    expect(typeof api.cacheKey).toBe('function');
    expect(typeof api.verifyFarm).toBe('function');
    expect(Object.keys(aquaseedMatchers)).toEqual(expect.arrayContaining(['toHaveSurvivalWithin', 'toHaveNoContainerConflicts']));
    expect(typeof api.openFarm).toBe('function');
    expect(typeof api.ClonePool.start).toBe('function');
    const playwright = await import('aquaseed/playwright');
    expect(typeof playwright.test.extend).toBe('function');
    expect(typeof playwright.expect).toBe('function');
    expect(playwright.chromiumLaunchOptions().args).toContain('--no-sandbox');
    const vitestEntry = await import('aquaseed/vitest');
    expect(typeof vitestEntry.farmTest.override).toBe('function');
    expect((await import('aquaseed/vitest/global-setup')).default).toBeTypeOf('function');
    expect((await import('aquaseed/playwright/global-setup')).default).toBeTypeOf('function');
  });
});

describe('the built package', () => {
  it('hashes the table definitions, run by Node itself, to the fingerprint the sources pin to SCHEMA_VERSION', async () => {
    const source = await import('../../src/schema/version.js');
    // In its own Node process: Vitest would load dist/ through its own transform, not as a consumer's Node does.
    const script = `const m = await import(${JSON.stringify(pathToFileURL(join(packageRoot(), 'dist', 'src', 'schema', 'version.js')).href)}); console.log(m.SCHEMA_VERSION, m.schemaFingerprint());`;
    const built = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim();
    expect(built).toBe(`${source.SCHEMA_VERSION} ${source.schemaFingerprint()}`);
  });
});
