/**
 * DATABASE_URL is never read implicitly (design.md §5): an app developer's exported DATABASE_URL,
 * pointing at a server that does not answer, changes nothing about where a seed goes: seedFarm,
 * both global setups and the CLI still seed the embedded server. AQUASEED_DATABASE_URL is the
 * variable that does send seeds elsewhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FullConfig } from '@playwright/test';
import type { TestProject } from 'vitest/node';
import { seedFarm } from '../../src/index.js';
import { targetUrl } from '../../src/seed/provider-choice.js';
import vitestGlobalSetup from '../../fixtures/global-setup.js';
import playwrightGlobalSetup from '../../fixtures/playwright-global-setup.js';
import { runCli } from '../support/cli.js';

/** Nothing listens on port 1: a seed sent there would fail at once. */
const APP_URL = 'postgres://app:secret@127.0.0.1:1/my_app';
const saved = { url: process.env.DATABASE_URL, aquaseed: process.env.AQUASEED_DATABASE_URL };

beforeAll(() => {
  process.env.DATABASE_URL = APP_URL;
  delete process.env.AQUASEED_DATABASE_URL;
});
afterAll(() => {
  for (const [name, value] of [['DATABASE_URL', saved.url], ['AQUASEED_DATABASE_URL', saved.aquaseed]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

function port(url: string): string {
  return new URL(url).port;
}

describe('an exported DATABASE_URL does not change where a seed goes', () => {
  it('the URL order: explicit, then AQUASEED_DATABASE_URL; DATABASE_URL is not in it', () => {
    expect(targetUrl({ preset: 'tiny' }, { DATABASE_URL: APP_URL })).toBeUndefined();
    expect(targetUrl({ preset: 'tiny' }, { DATABASE_URL: APP_URL, AQUASEED_DATABASE_URL: 'postgres://a@h/b' })).toBe('postgres://a@h/b');
    expect(targetUrl({ preset: 'tiny', databaseUrl: 'postgres://x@y/z' }, { AQUASEED_DATABASE_URL: 'postgres://a@h/b' })).toBe('postgres://x@y/z');
  });

  it('seedFarm seeds the embedded server', async () => {
    const farm = await seedFarm('tiny');
    try {
      expect(port(farm.url)).not.toBe('1');
      expect(farm.url).not.toContain('my_app');
      expect((await farm.counts()).batch_batch).toBeGreaterThan(0);
    } finally {
      await farm.close();
    }
  }, 240_000);

  it('the Vitest global setup seeds its templates on the embedded server', async () => {
    const provided: Record<string, unknown> = {};
    const project = {
      getProvidedContext: () => ({ farmPreset: ['tiny'], farmPool: false }),
      config: { maxWorkers: 1 },
      provide: (key: string, value: unknown) => (provided[key] = value),
    } as unknown as TestProject;
    const close = await vitestGlobalSetup(project);
    try {
      const templates = provided.aquaseedTemplates as Record<string, string>;
      expect(Object.keys(templates)).toEqual(['tiny']);
      expect(port(templates.tiny!)).not.toBe('1');
    } finally {
      await close();
    }
  }, 240_000);

  it('the Playwright global setup seeds its templates on the embedded server', async () => {
    const config = { projects: [{ use: { farmPreset: 'tiny', farmPool: false } }], workers: 1 } as unknown as FullConfig;
    const close = await playwrightGlobalSetup(config);
    try {
      const templates = JSON.parse(process.env.AQUASEED_TEMPLATES ?? '{}') as Record<string, string>;
      expect(Object.keys(templates)).toEqual(['tiny']);
      expect(port(templates.tiny!)).not.toBe('1');
    } finally {
      await close();
    }
  }, 240_000);

  it('the CLI seeds its own cluster', async () => {
    const result = await runCli(['seed', 'tiny', '--quiet'], { DATABASE_URL: APP_URL });
    expect(result.stderr).not.toContain('127.0.0.1:1');
    expect(result.code).toBe(0);
  }, 240_000);
});
