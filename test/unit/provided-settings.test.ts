/**
 * What a Vitest suite provides to aquaseed, by the setting names both runners share (farmPreset,
 * farmPool, keepFailed) or by the `aquaseed*` names of earlier releases, which still work.
 */
import { describe, expect, it } from 'vitest';
import { providedSettings } from '../../fixtures/provided-context.js';

describe('the settings a Vitest suite provides', () => {
  it('default to single-batch, no pool setting and no keepFailed setting', () => {
    expect(providedSettings({})).toEqual({ presets: ['single-batch'], pool: undefined, keepFailed: undefined });
    expect(providedSettings({ farmPreset: [] }).presets).toEqual(['single-batch']);
  });

  it('take farmPreset as one preset or several (the first is the default), farmPool and keepFailed', () => {
    expect(providedSettings({ farmPreset: 'tiny' }).presets).toEqual(['tiny']);
    expect(providedSettings({ farmPreset: ['tiny', 'single-batch', 'tiny'], farmPool: { size: 1 }, keepFailed: true })).toEqual({
      presets: ['tiny', 'single-batch'],
      pool: { size: 1 },
      keepFailed: true,
    });
    expect(providedSettings({ farmPool: false, keepFailed: false })).toMatchObject({ pool: false, keepFailed: false });
  });

  it('read the deprecated aquaseedPresets, aquaseedPool and aquaseedKeepFailed when the new names are absent', () => {
    expect(providedSettings({ aquaseedPresets: ['tiny', 'uat'], aquaseedPool: { maxPoolBytes: 8e9 }, aquaseedKeepFailed: true })).toEqual({
      presets: ['tiny', 'uat'],
      pool: { maxPoolBytes: 8e9 },
      keepFailed: true,
    });
    // The new name wins where both are given.
    expect(providedSettings({ farmPreset: 'single-batch', aquaseedPresets: ['tiny'], keepFailed: false, aquaseedKeepFailed: true })).toMatchObject({
      presets: ['single-batch'],
      keepFailed: false,
    });
  });
});
