import { describe, expect, it } from 'vitest';
import { planSchedule } from '../../src/preset-files/resolve.js';
import { scheduleKey, canonicalJson } from '../../src/cache/key.js';
import { parsePreset } from '../../src/schedule/preset.js';
import { loadPreset, presetNames } from '../../src/preset-files/presets.js';

describe('single-batch plan', () => {
  const schedule = planSchedule('single-batch');
  const batch = schedule.batches[0]!;

  it('books ten containers per freshwater stage and twenty rings in one area', () => {
    expect(schedule.batches).toHaveLength(1);
    expect(batch.batchNumber).toBe('FAR-2023-001');
    expect(batch.freshwater.map((s) => s.stage)).toEqual(['egg_alevin', 'fry', 'parr', 'smolt', 'post_smolt']);
    for (const stage of batch.freshwater) expect(new Set(stage.containers).size).toBe(10);
    expect(batch.freshwater[0]!.containers[0]).toBe('FI-FW-01-A-C01');
    expect(batch.sea?.rings).toHaveLength(20);
    expect(batch.sea?.startDay).toBe(450);
  });

  it('books the rings until the worst-case harvest of its own target, not to the Adult limit', () => {
    // 5.62 kg: about day 792 at the engine's mean temperatures; booked to the cold-water bound.
    expect(batch.harvestTargetKg).toBe(5.62);
    expect(batch.sea?.endDay).toBe(811);
  });

  it('draws the harvest target from the seeded RNG, 0.5 % inside the preset range', () => {
    expect(batch.harvestTargetKg).toBeGreaterThanOrEqual(4.5 * 1.005);
    expect(batch.harvestTargetKg).toBeLessThanOrEqual(6.5 * 0.995);
    expect(planSchedule('single-batch')).toEqual(schedule);
  });

  it('pins the cache key (an accidental change of schedule, engine or schema version shows here)', () => {
    expect(scheduleKey(schedule)).toMatchInlineSnapshot(`"07c4032dda593ffdbb2b183c64115164d2c1144df6070601dd7c7d79eade6436"`);
  });

  it('hashes canonically: key order does not matter, values do', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
    expect(scheduleKey({ ...schedule, seed: 'other' })).not.toBe(scheduleKey(schedule));
  });
});

describe('presets', () => {
  it('lists the shipped presets', () => {
    expect(presetNames()).toEqual(['40-batch', 'full-saturation', 'single-batch', 'tiny', 'uat']);
  });

  it('names the known presets when asked for an unknown one', () => {
    expect(() => loadPreset('no-such-farm')).toThrow(expect.objectContaining({ code: 'AQUASEED_UNKNOWN_PRESET', fix: expect.stringContaining('single-batch') }));
  });

  it('names the key path, the value and the rule of an invalid preset', () => {
    const preset = { ...loadPreset('single-batch'), eggs: -5 };
    expect(() => parsePreset(preset, 'my.yaml')).toThrow(/my\.yaml: eggs = -5: /);
    expect(() => parsePreset({ ...preset, eggs: 3_500_000, harvestTargetKg: [7, 5] }, 'my.yaml')).toThrow(/harvestTargetKg/);
    expect(() => parsePreset({ ...preset, eggs: 3_500_000, typo: 1 }, 'my.yaml')).toThrow(/typo|Unrecognized/);
  });
});
