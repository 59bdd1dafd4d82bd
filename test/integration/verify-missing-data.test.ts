/**
 * `verify` fails (exit 2) when a check cannot run because the data it needs is missing, and says
 * which; SKIP is left for what the farm does not contain by design, named as such. A wiped farm,
 * or a table the seed filled and someone emptied, is missing data, never "All checks passed".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type pg from 'pg';
import { connectClient, withClient } from '../../src/db/client.js';
import { startEmbedded, type EmbeddedServer } from '../../src/provision/embedded.js';
import { defaultCacheDir } from '../../src/host/cache-dir.js';
import { verifyFarm } from '../../src/verify/verify-farm.js';
import { runCli } from '../support/cli.js';

let server: EmbeddedServer;
let admin: pg.Client;

interface VerifyJson {
  pass: boolean;
  checks: { name: string; result: string; missing?: string; skipped?: string }[];
}

beforeAll(async () => {
  server = await startEmbedded({ root: join(defaultCacheDir(), 'embedded') });
  admin = await connectClient(server.url('postgres'));
  for (const name of ['missing_wiped', 'missing_readings']) {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    expect((await runCli(['seed', 'tiny', '--database-url', server.url(name), '--quiet'])).code).toBe(0);
  }
}, 300_000);

afterAll(async () => {
  await admin?.end();
  await server?.stop();
});

describe('verify and missing data', () => {
  it('a check with nothing to judge by design is a SKIP that says so, and passes', async () => {
    const report = await verifyFarm(server.url('missing_readings'), { checks: ['populationAtDay'], populationAtDay: { day: 5000 } });
    expect(report.pass).toBe(true);
    expect(report.checks[0]).toMatchObject({ skipped: 'not in this farm by design: no batch has reached day 5000' });
    expect(report.checks[0]!.missing).toBeUndefined();
  });

  it('an emptied table the seed filled: exit 2, the check MISSING, naming the table and what the seed wrote', async () => {
    await withClient(server.url('missing_readings'), (client) => client.query('TRUNCATE environmental_environmentalreading CASCADE'));
    const result = await runCli(['verify', '--database-url', server.url('missing_readings')]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/│ environmental linkage\s+│\s+n\/a │[^│]+│ MISSING/);
    expect(result.stdout).toMatch(/^MISSING environmental linkage: environmental_environmentalreading is empty, though the seed wrote [\d]+ rows; cannot judge \(no readings to judge\)$/m);
    expect(result.stdout.trim()).toMatch(/checks failed \(\d+ for missing data\): .*environmental linkage/);
  });

  it('a wiped (emptied) database: exit 2, every check that needs the data MISSING, none passed vacuously', async () => {
    expect((await runCli(['wipe', '--database-url', server.url('missing_wiped')])).code).toBe(0);
    const result = await runCli(['verify', '--database-url', server.url('missing_wiped'), '--json']);
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as VerifyJson;
    expect(report.pass).toBe(false);
    expect(report.checks.filter((check) => check.result === 'SKIP')).toEqual([]);
    const missing = report.checks.filter((check) => check.result === 'MISSING');
    expect(missing.length).toBeGreaterThanOrEqual(10);
    for (const check of missing) expect(check.missing).toMatch(/^the farm was wiped \(aquaseed wipe\)/);
    const table = await runCli(['verify', '--database-url', server.url('missing_wiped')]);
    expect(table.code).toBe(2);
    expect(table.stdout).not.toContain('All 12 checks passed');
  });
});
