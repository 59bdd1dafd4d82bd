/**
 * A multi-batch schedule on a real (embedded) PostgreSQL: the tiny preset seeds with no container
 * conflicts and active batches in several stages, utilization on asOf is reported and is what the
 * plan predicted; the same schedule as a planned file seeds through the CLI to the same key and
 * rows; a hand-edited file with an overlap is refused before anything is touched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryOnce } from '../../src/db/client.js';
import { seedFarm, type Farm } from '../../src/index.js';
import { utilization, verifyFarm, type FarmTarget } from '../../src/verify/index.js';
import { scheduleStats } from '../../src/schedule/stats.js';
import { scheduleToYaml } from '../../src/schedule/yaml.js';
import { aquaseedMatchers, type AquaseedMatchers } from '../../fixtures/matchers.js';
import { runCli } from '../support/cli.js';

expect.extend(aquaseedMatchers);
type FarmAssertion = AquaseedMatchers<Promise<void>> & { not: AquaseedMatchers<Promise<void>> };
const expectFarm = (target: FarmTarget) => expect(target) as unknown as FarmAssertion;

const dir = mkdtempSync(join(tmpdir(), 'aquaseed-schedule-it-'));
let farm: Farm;

beforeAll(async () => {
  farm = await seedFarm('tiny');
});

afterAll(async () => {
  await farm?.close();
  rmSync(dir, { recursive: true, force: true });
});

function databaseUrl(name: string): string {
  const url = new URL(farm.url);
  url.pathname = `/${name}`;
  return url.toString();
}

describe('the tiny preset', () => {
  it('seeds every batch of the schedule, active in four stages on asOf', async () => {
    const batches = await farm.db
      .selectFrom('batch_batch as b')
      .innerJoin('batch_lifecyclestage as s', 's.id', 'b.lifecycle_stage_id')
      .select(['b.batch_number', 'b.status', 's.name as stage'])
      .orderBy('b.start_date')
      .execute();
    expect(batches.map((b) => b.batch_number)).toEqual(farm.schedule.batches.map((b) => b.batchNumber));
    expect(batches.every((b) => b.status === 'ACTIVE')).toBe(true);
    expect(batches.map((b) => b.stage)).toEqual(['Smolt', 'Parr', 'Fry', 'Egg&Alevin']);
  });

  it('has no container conflicts and every stage so far', async () => {
    await expectFarm(farm).toHaveNoContainerConflicts();
    await expectFarm(farm).toHaveAllStages();
    await expectFarm(farm).toHaveFullEnvironmentalLinkage();
  });

  it('reports utilization on asOf in verifyFarm, as the plan predicted', async () => {
    const report = await verifyFarm(farm);
    const check = report.checks.find((c) => c.name === 'utilization');
    expect(check?.skipped).toBeUndefined();
    expect(check?.label).toBe(`utilization on ${farm.schedule.asOf}`);
    const predicted = scheduleStats(farm.schedule);
    // Four batches in one hall each (10 containers), nothing at sea, of 1,940 HOLDING containers.
    expect(check?.counts).toMatchObject({ holding: 1940, occupied: 40, 'freshwater.occupied': 40, 'sea.occupied': 0, 'sea.holding': 840 });
    expect(check?.value).toBeCloseTo(predicted.utilization.all.share, 10);
    for (const [name, g] of Object.entries(predicted.geographies)) {
      expect(check?.counts?.[`${name}.freshwater.occupied`]).toBe(g.utilization.freshwater.held);
    }
    expect(check?.detail).toContain('Faroe Islands freshwater: 20 of 600 (3.3 %)');
  });

  it('judges utilization with toHaveUtilizationWithin: farm-wide, per geography and water', async () => {
    await expectFarm(farm).toHaveUtilizationWithin(0.02, 0.03);
    await expectFarm(farm).toHaveUtilizationWithin(0.04, 0.04, { geography: 'Scotland', water: 'freshwater' });
    await expectFarm(farm).toHaveUtilizationWithin(0, 0, { water: 'sea' });
    await expectFarm(farm).not.toHaveUtilizationWithin(0.75, 0.9);
    const failing = await aquaseedMatchers.toHaveUtilizationWithin.call({}, farm, 0.75, 0.9);
    expect(failing.pass).toBe(false);
    expect(failing.message()).toContain(`utilization on ${farm.schedule.asOf} 2.1 %, expected 75.0-90.0 %:`);
    // A URL target finds asOf in the seeded schedule itself.
    const byUrl = await utilization(farm.url);
    expect(byUrl.label).toBe(`utilization on ${farm.schedule.asOf}`);
    expect(byUrl.value).toBeCloseTo(40 / 1940, 10);
  });
});

describe('schedule files through the CLI', () => {
  it('plan -o writes the schedule; key of the file equals key of the preset and of the seeded farm', async () => {
    const file = join(dir, 'tiny.yaml');
    const planned = await runCli(['plan', 'tiny', '-o', file]);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain(`Planned tiny into ${file}:`);
    expect(planned.stdout).toContain('4 batches (Faroe Islands 2, Scotland 2)');
    const [fromFile, fromPreset] = await Promise.all([runCli(['key', file]), runCli(['key', 'tiny'])]);
    expect(fromFile.stdout.trim()).toBe(farm.key);
    expect(fromPreset.stdout.trim()).toBe(farm.key);
  });

  it('seed <file> seeds the same farm into another database', async () => {
    const file = join(dir, 'tiny-for-seed.yaml');
    writeFileSync(file, scheduleToYaml(farm.schedule));
    await queryOnce(databaseUrl('postgres'), 'CREATE DATABASE tiny_from_file');
    const seeded = await runCli(['seed', file, '--database-url', databaseUrl('tiny_from_file'), '--json', '--quiet']);
    expect(seeded.stderr).toBe('');
    expect(seeded.code).toBe(0);
    const summary = JSON.parse(seeded.stdout.trim().split('\n').at(-1)!) as { key: string; rowCounts: Record<string, number> };
    expect(summary.key).toBe(farm.key);
    const nonEmpty = Object.fromEntries(Object.entries(await farm.counts()).filter(([, n]) => n > 0));
    expect(Object.fromEntries(Object.entries(summary.rowCounts).filter(([, n]) => n > 0))).toEqual(nonEmpty);
  });

  it('refuses a hand-edited file that puts two batches in one container, naming both, the container and the dates', async () => {
    // A copy of the oldest batch, started 30 days later in the very same containers.
    const schedule = structuredClone(farm.schedule);
    const oldest = schedule.batches[0]!;
    const copy = { ...structuredClone(oldest), index: schedule.batches.length, batchNumber: `${oldest.batchNumber}-COPY`, startDate: addDays(oldest.startDate, 30) };
    schedule.batches.push(copy);
    const file = join(dir, 'edited.yaml');
    writeFileSync(file, scheduleToYaml(schedule));
    const result = await runCli(['seed', file, '--database-url', 'postgres://u:p@127.0.0.1:1/never_reached']);
    expect(result.code).toBe(1);
    const tray = oldest.freshwater[0]!.containers[0]!;
    expect(result.stderr).toContain(`${file}: `);
    expect(result.stderr).toContain(
      `container ${tray}: ${oldest.batchNumber} [${oldest.startDate}, ${addDays(oldest.startDate, 90)}) overlaps ${copy.batchNumber} [${copy.startDate}, ${addDays(copy.startDate, 90)})`,
    );
    expect(result.stderr).toMatch(/\n {2}fix: /);
    expect(result.stderr).not.toContain('cannot reach'); // refused before any connection
  });
});

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
