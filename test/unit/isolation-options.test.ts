/**
 * The runner options around isolation: the modes and reset scopes are checked with errors that
 * name the value, keepFailed comes from AQUASEED_KEEP_FAILED, the pool budget from
 * AQUASEED_MAX_POOL_BYTES.
 */
import { describe, expect, it } from 'vitest';
import { checkOption, FARM_ISOLATIONS, FARM_RESET_SCOPES, keepFailedFromEnv } from '../../src/isolation/isolation.js';
import { startPools } from '../../src/isolation/pools.js';
import type { Farm } from '../../src/seed/farm.js';

describe('isolation options', () => {
  it('accepts the five modes and two reset scopes, and names a wrong value and the choices', () => {
    expect(FARM_ISOLATIONS).toEqual(['clone', 'transaction', 'shared', 'reset', 'slot']);
    expect(checkOption('farmReset', 'file', FARM_RESET_SCOPES, "farmTest.override({ farmReset: 'file' })")).toBe('file');
    expect(() => checkOption('farmIsolation', 'rollback', FARM_ISOLATIONS, "farmTest.override({ farmIsolation: 'clone' })")).toThrow(
      expect.objectContaining({
        code: 'AQUASEED_INVALID_OPTION',
        message: `farmIsolation "rollback" is not one of 'clone', 'transaction', 'shared', 'reset', 'slot'`,
      }),
    );
  });

  it('keeps failed databases when AQUASEED_KEEP_FAILED is 1 or true', () => {
    expect(keepFailedFromEnv({ AQUASEED_KEEP_FAILED: '1' })).toBe(true);
    expect(keepFailedFromEnv({ AQUASEED_KEEP_FAILED: 'true' })).toBe(true);
    expect(keepFailedFromEnv({ AQUASEED_KEEP_FAILED: '0' })).toBe(false);
    expect(keepFailedFromEnv({})).toBe(false);
  });

  it('refuses an AQUASEED_MAX_POOL_BYTES that is not a number of bytes, before touching any server', async () => {
    const before = process.env.AQUASEED_MAX_POOL_BYTES;
    process.env.AQUASEED_MAX_POOL_BYTES = 'lots';
    try {
      await expect(startPools([{} as Farm], undefined, 2)).rejects.toMatchObject({
        code: 'AQUASEED_INVALID_OPTION',
        message: expect.stringContaining('AQUASEED_MAX_POOL_BYTES "lots"'),
      });
      expect(await startPools([{} as Farm], false, 2)).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.AQUASEED_MAX_POOL_BYTES;
      else process.env.AQUASEED_MAX_POOL_BYTES = before;
    }
  });
});

describe('template ids and the farm clock', () => {
  it('names a migrated template apart from the plain preset, the same for the same setting', async () => {
    const { templateId } = await import('../../src/isolation/isolation.js');
    const migrate = { command: 'python3 manage.py migrate --noinput', hashFiles: ['*/migrations/*.py'] };
    expect(templateId('tiny')).toBe('tiny');
    expect(templateId('tiny', migrate)).toMatch(/^tiny migrate:[0-9a-f]{16}$/);
    expect(templateId('tiny', { ...migrate })).toBe(templateId('tiny', migrate));
    expect(templateId('tiny', { ...migrate, setup: 'python3 manage.py setup' })).not.toBe(templateId('tiny', migrate));
  });

  it("puts the farm's now at its asOf day's last sensor reading, and takes an instant as it is", async () => {
    const { farmInstant } = await import('../../src/isolation/clock.js');
    const { READING_TIMES } = await import('../../src/core/tuning.js');
    expect(farmInstant({ asOf: '2026-03-02' }).toISOString()).toBe(`2026-03-02T${READING_TIMES[READING_TIMES.length - 1]}:00.000Z`);
    expect(farmInstant({ asOf: '2026-03-02T08:30:00Z' as never }).toISOString()).toBe('2026-03-02T08:30:00.000Z');
    expect(() => farmInstant({ asOf: 'soon' as never })).toThrow(expect.objectContaining({ code: 'AQUASEED_INVALID_OPTION', message: expect.stringContaining('"soon"') }));
  });
});
