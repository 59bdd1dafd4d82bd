/**
 * Typing of aquaseed's matchers and fixtures, checked by `npm run typecheck` (never executed).
 * Every `@ts-expect-error` line is a call the types must reject: tsc fails here if one compiles,
 * and matcher-types.test.ts compiles this file without those comments and expects each to fail.
 */
import { expect, expectTypeOf } from 'vitest';
import type { Kysely } from 'kysely';
import { farmTest, type Farm, type FarmIsolation } from 'aquaseed/vitest';
import { expect as pwExpect, test as pwTest } from 'aquaseed/playwright';
import { seedFarm, type Database } from 'aquaseed';
import { defineConfig } from 'vitest/config';

declare const farm: Farm;

export async function vitestMatchers(): Promise<void> {
  expectTypeOf(expect(farm).toHaveSurvivalWithin(0.83, 0.87)).toEqualTypeOf<Promise<void>>();
  expectTypeOf(expect(farm).not.toHavePopulationAtDay(91, { min: 1, max: 2 })).toEqualTypeOf<Promise<void>>();
  expectTypeOf(expect(farm.db).toHaveUtilizationWithin(0.2, 0.6, { water: 'sea' })).toEqualTypeOf<Promise<void>>();
  // @ts-expect-error survival bounds are fractions (numbers), not strings
  await expect(farm).toHaveSurvivalWithin('83 %', '87 %');
  // @ts-expect-error toHavePopulationAtDay needs the day
  await expect(farm).toHavePopulationAtDay();
  // @ts-expect-error there is no toHaveSurvivalBetween
  await expect(farm).not.toHaveSurvivalBetween(0.83, 0.87);
  expectTypeOf(expect(farm).toHaveIncident('lice-outbreak', { batch: 'UAT-480', treated: false })).toEqualTypeOf<Promise<void>>();
  // @ts-expect-error the incident kinds are a closed list
  await expect(farm).toHaveIncident('algae-bloom');
}

export async function playwrightMatchers(): Promise<void> {
  expectTypeOf(pwExpect(farm).toHaveNoContainerConflicts()).toEqualTypeOf<Promise<void>>();
  expectTypeOf(pwExpect(farm).not.toHaveAllStages()).toEqualTypeOf<Promise<void>>();
  // @ts-expect-error FCR bounds are numbers
  await pwExpect(farm).toHaveFcrWithin('low', 'high');
  // @ts-expect-error toHaveHarvestWeightsWithin takes kilograms, min and max
  await pwExpect(farm).toHaveHarvestWeightsWithin(4.5);
  expectTypeOf(pwExpect(farm).not.toHaveIncident('oxygen-drop', { container: 'Ring-07', day: '2025-11-20' })).toEqualTypeOf<Promise<void>>();
  // @ts-expect-error an incident is found by batch, container, day or treated, not by ring
  await pwExpect(farm).toHaveIncident('oxygen-drop', { ring: 7 });
}

export function fixtures(): void {
  farmTest('fixture types', async ({ farm, db, farmPreset, farmIsolation }) => {
    expectTypeOf(farm).toEqualTypeOf<Farm>();
    expectTypeOf(db).toEqualTypeOf<Kysely<Database>>();
    expectTypeOf(farmPreset).toEqualTypeOf<string>();
    expectTypeOf(farmIsolation).toEqualTypeOf<FarmIsolation>();
  });
  farmTest.override({ farmIsolation: 'transaction' });
  // @ts-expect-error 'snapshot' is not an isolation mode
  farmTest.override({ farmIsolation: 'snapshot' });
  pwTest.use({ farmPreset: 'tiny' });
  // @ts-expect-error farmPreset is a preset name
  pwTest.use({ farmPreset: 40 });
}

export function settings(): void {
  // Vitest's provide takes Playwright's setting names; the aquaseed* names of earlier releases still type.
  defineConfig({ test: { provide: { farmPreset: ['tiny', 'single-batch'], farmPool: { size: 1 }, keepFailed: true } } });
  defineConfig({ test: { provide: { farmPreset: 'tiny', farmPool: false } } });
  defineConfig({ test: { provide: { aquaseedPresets: ['tiny'], aquaseedPool: { maxPoolBytes: 8e9 }, aquaseedKeepFailed: true } } });
  void seedFarm('tiny', { server: { url: 'postgres://me:pw@localhost/farm' }, cache: { dir: '.cache/aquaseed' } });
  void seedFarm('tiny', { server: { embedded: { cluster: 'dev' } }, cache: false });
  void seedFarm({ preset: 'tiny', databaseUrl: 'postgres://me:pw@localhost/farm', cacheDir: '.cache/aquaseed' });
  // @ts-expect-error a server is embedded, a container or a URL, not two of them
  void seedFarm('tiny', { server: { url: 'postgres://me:pw@localhost/farm', embedded: {} } });
}
