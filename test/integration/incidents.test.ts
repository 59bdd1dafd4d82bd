/**
 * A farm with an incident of every kind on real PostgreSQL: each incident's rows are there as
 * docs/incidents.md describes them, `toHaveIncident` finds it (and only where it is), every check
 * of verifyFarm still passes (survival, FCR and population at day saying where a mortality spike
 * was added back), and the farm seeds identically with any number of workers.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { sql } from 'kysely';
import { planSchedule, seedFarm, verifyFarm, type Farm, type IncidentKind, type Schedule } from '../../src/index.js';
import { expectSameTablesSeededAgain } from '../support/reseed.js';
import { aquaseedMatchers, type AquaseedMatchers } from '../../fixtures/matchers.js';
import { LICE_TREATMENT_THRESHOLD } from '../../src/core/domain.js';
import { EVERY_KIND, INCIDENT_PRESET } from '../support/incident-farm.js';
import { runCli } from '../support/cli.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../../fixtures/chromium.js';
import { writeFarmReport } from '../../src/report/index.js';
import { packageRoot } from '../../src/host/package-root.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

expect.extend(aquaseedMatchers);
type FarmAssertion = AquaseedMatchers<Promise<void>> & { not: AquaseedMatchers<Promise<void>> };
const expectFarm = (target: unknown) => expect(target) as unknown as FarmAssertion;

let farm: Farm;
let schedule: Schedule;
const incident = (i: number) => schedule.incidents![i] as { kind: IncidentKind; batch: string; day: string; container?: string };

beforeAll(async () => {
  schedule = planSchedule({ ...INCIDENT_PRESET, incidents: EVERY_KIND } as never);
  farm = await seedFarm({ schedule, workers: 2 });
});

afterAll(async () => {
  await farm?.close();
});

const q = async <R>(text: string, params: unknown[] = []): Promise<R[]> => (await sql.raw<R>(text.replace(/\$(\d+)/g, (_, n) => pgLiteral(params[Number(n) - 1]))).execute(farm.db)).rows;
const pgLiteral = (value: unknown) => (typeof value === 'number' ? String(value) : `'${String(value).replace(/'/g, "''")}'`);

describe('every incident kind on one farm', () => {
  it('passes every check, saying which batch was judged with its mortality spikes added back', async () => {
    const report = await verifyFarm(farm);
    expect(report.checks.filter((c) => !c.pass).map((c) => c.name)).toEqual([]);
    const survival = report.checks.find((c) => c.name === 'survival')!;
    expect(survival.perBatch).toEqual([expect.objectContaining({ batchNumber: 'FAR-2023-001', pass: true, note: expect.stringMatching(/^incident: mortality-spike 2023-03-03 \([\d,]+ fish\), 2023-10-29 \([\d,]+ fish\) counted as survived; \d+\.\d % as harvested$/) })]);
    expect(survival.detail).toMatch(/survival of batch FAR-2023-001 judged with the fish of their mortality-spike incidents added back/);
    expect(report.checks.find((c) => c.name === 'fcr')!.perBatch.find((b) => b.batchNumber === 'FAR-2023-001')?.note).toMatch(/counted as gained/);
    expect(report.checks.find((c) => c.name === 'populationAtDay')!.perBatch[0]?.note).toMatch(/fish of mortality-spike 2023-03-03 counted as alive/);
    // As harvested, the spiked batch is outside the survival range: only the incident's fish bring it back.
    const [harvested] = await q<{ fish: number }>(`SELECT sum(l.unit_count)::float8 AS fish FROM harvest_harvestlot l JOIN harvest_harvestevent e ON e.id = l.event_id`);
    expect(harvested!.fish / 3_500_000).toBeLessThan(0.83);
    await expectFarm(farm).toPassAllChecks();
  });

  it('lice-outbreak: a count above the threshold on its day, a bath the next day; untreated, none', async () => {
    const treated = incident(0);
    const [count] = await q<{ notes: string; per_fish: number }>(
      `SELECT l.notes, sum(l.count_value)::float8 / 20 AS per_fish FROM health_licecount l JOIN infrastructure_container c ON c.id = l.container_id
        JOIN health_licetype t ON t.id = l.lice_type_id AND t.species = 'Lepeophtheirus salmonis' AND t.gender = 'female' AND t.development_stage = 'adult'
       WHERE c.name = $1 AND (l.count_date AT TIME ZONE 'UTC')::date = $2 GROUP BY l.notes`,
      [treated.container, treated.day],
    );
    expect(count!.per_fish).toBeGreaterThan(LICE_TREATMENT_THRESHOLD);
    expect(count!.notes).toMatch(/^Outbreak count - Day \d+$/);
    const baths = await q<{ day: string }>(
      `SELECT to_char((t.treatment_date AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day FROM health_treatment t JOIN infrastructure_container c ON c.id = t.container_id
       WHERE c.name = $1 AND t.treatment_type = 'physical' AND t.description LIKE '%outbreak%'`,
      [treated.container],
    );
    expect(baths).toEqual([{ day: '2025-11-12' }]);
    await expectFarm(farm).toHaveIncident('lice-outbreak', { batch: 'INC-520', container: 'Ring-01', day: treated.day, treated: true });
    await expectFarm(farm).toHaveIncident('lice-outbreak', { batch: 'FAR-INC-520', container: 'Ring-02', treated: false });
    await expectFarm(farm).not.toHaveIncident('lice-outbreak', { container: 'Ring-03' });
  });

  it('oxygen-drop and temperature-spike: readings out of range, hour by hour, in their container only', async () => {
    const drop = incident(2);
    const oxygen = await q<{ hour: string; value: number }>(
      `SELECT to_char(r.reading_time AT TIME ZONE 'UTC', 'HH24') AS hour, r.value::float8 AS value FROM environmental_environmentalreading r
        JOIN environmental_environmentalparameter p ON p.id = r.parameter_id AND p.name = 'Dissolved Oxygen' JOIN infrastructure_container c ON c.id = r.container_id
       WHERE r.value < 80 ORDER BY 1`,
    );
    expect(oxygen.map((r) => r.hour)).toEqual(['10', '11', '12', '13']);
    await expectFarm(farm).toHaveIncident('oxygen-drop', { batch: drop.batch, container: drop.container!, day: drop.day });
    const spike = incident(3);
    await expectFarm(farm).toHaveIncident('temperature-spike', { container: spike.container!, day: spike.day });
    await expectFarm(farm).not.toHaveIncident('temperature-spike', { batch: 'INC-200' });
    const failure = await expectFarm(farm).toHaveIncident('oxygen-drop', { batch: 'FAR-INC-520' }).then(() => null, (error: Error) => error);
    expect(failure?.message).toContain('expect(farm).toHaveIncident("oxygen-drop", { batch: "FAR-INC-520" })');
    expect(failure?.message).toContain('expected an oxygen-drop in batch FAR-INC-520: no dissolved oxygen reading below 80 % in batch FAR-INC-520');
    expect(failure?.message).toContain("the farm's oxygen-drop sightings elsewhere:");
    expect(failure?.message).toMatch(new RegExp(`batch FAR-INC-200 ${drop.container} on ${drop.day}: dissolved oxygen down to \\d+\\.\\d %`));
  });

  it('mortality-spike: one event per container with the cause, and a day that killed the share', async () => {
    const events = await q<{ day: string; cause: string; n: number }>(
      `SELECT to_char(event_date, 'YYYY-MM-DD') AS day, cause, count(*)::int AS n FROM batch_mortalityevent WHERE description LIKE 'Mortality spike:%' GROUP BY 1, 2 ORDER BY 1`,
    );
    expect(events).toEqual([
      { day: '2023-03-03', cause: 'UNKNOWN', n: 10 },
      { day: '2023-10-29', cause: 'DISEASE', n: 10 },
    ]);
    await expectFarm(farm).toHaveIncident('mortality-spike', { batch: 'FAR-2023-001', day: '2023-10-29' });
    await expectFarm(farm).not.toHaveIncident('mortality-spike', { batch: 'INC-520' });
  });

  it('disease: an issue and a diagnosis in the journal, and a health sample scoring high', async () => {
    const disease = incident(6);
    const entries = await q<{ category: string; severity: string }>(
      `SELECT j.category, j.severity FROM health_journalentry j JOIN infrastructure_container c ON c.id = j.container_id WHERE c.name = $1 AND j.severity = 'high' ORDER BY j.entry_date`,
      [disease.container],
    );
    expect(entries).toEqual([
      { category: 'issue', severity: 'high' },
      { category: 'diagnosis', severity: 'high' },
    ]);
    await expectFarm(farm).toHaveIncident('disease', { batch: 'INC-200', container: disease.container!, day: disease.day });
  });

  it('harvest-overdue: the batch still in its rings, its planned harvest pending since the due day', async () => {
    const [batch] = await q<{ status: string; rings: number; harvests: number; due: string; status_pa: string }>(
      `SELECT b.status, (SELECT count(*)::int FROM batch_batchcontainerassignment a WHERE a.batch_id = b.id AND a.is_active) AS rings,
              (SELECT count(*)::int FROM harvest_harvestevent e WHERE e.batch_id = b.id) AS harvests,
              to_char(p.due_date, 'YYYY-MM-DD') AS due, p.status AS status_pa
         FROM batch_batch b JOIN planning_plannedactivity p ON p.batch_id = b.id AND p.activity_type = 'HARVEST' WHERE b.batch_number = 'FAR-INC-520'`,
    );
    expect(batch).toEqual({ status: 'ACTIVE', rings: 4, harvests: 0, due: '2025-11-17', status_pa: 'PENDING' });
    await expectFarm(farm).toHaveIncident('harvest-overdue', { batch: 'INC-520' });
    await expectFarm(farm).not.toHaveIncident('harvest-overdue', { batch: 'INC-200' });
  });

  it('feed-shortage: the Parr silo below its re-order level on asOf', async () => {
    await expectFarm(farm).toHaveIncident('feed-shortage', { batch: 'INC-200', container: 'C-Silo' });
    await expectFarm(farm).not.toHaveIncident('feed-shortage', { batch: 'INC-520' });
    await expectFarm(farm).toHaveNonNegativeFeedStock();
  });

  it('seeds identically on one worker', async () => {
    await expectSameTablesSeededAgain(farm, 'incidents_one_worker', { workers: 1 });
  });
});

describe('the farm report', () => {
  it('marks every incident on its batch’s population and weight lines, and lists them', async () => {
    const dir = join(packageRoot(), 'test-results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'incident-report.html');
    await writeFarmReport(farm.url, file);
    const browser = await chromium.launch(chromiumLaunchOptions());
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(pathToFileURL(file).href);
      await page.waitForFunction('document.querySelectorAll("canvas").length > 0');
      const markers = (await page.evaluate(`['chart-population', 'chart-weight'].map((id) => {
        const chart = Chart.getChart(document.getElementById(id));
        const set = chart.data.datasets.find((d) => d.label === 'incidents');
        return set ? set.data.map((p) => p.label) : [];
      })`)) as string[][];
      expect(errors).toEqual([]);
      // Both spikes of FAR-2023-001 are on its lines; every incident of the ladder batches too.
      for (const labels of markers) {
        expect(labels).toHaveLength(EVERY_KIND.length);
        expect(labels).toContain('mortality-spike · FAR-2023-001 · 2023-10-29');
        expect(labels).toContain(`lice-outbreak · FAR-INC-520 · ${incident(0).container} · ${incident(0).day}`);
      }
      expect(await page.locator('#incidents tbody tr').count()).toBe(EVERY_KIND.length);
      await page.screenshot({ path: join(dir, 'incident-report.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});

describe('a bad incident', () => {
  it('is refused by seedFarm before any server starts, with the field path and the fix', async () => {
    await expect(
      seedFarm({ preset: 'tiny', incidents: [{ kind: 'oxygen-drop', batch: 'FAR-2025-001', container: 'Ring-07', day: 'asOf-1d' }] }),
    ).rejects.toMatchObject({
      code: 'AQUASEED_INVALID_SCHEDULE',
      message: expect.stringMatching(/^preset "tiny": options\.incidents\[0\]\.container = "Ring-07": batch FAR-2025-001 does not hold it on that day/),
      fix: expect.stringMatching(/name one of those containers/),
    });
  });

  it('in a preset file is refused by the CLI, naming the file, the field and the fix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aquaseed-incident-cli-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'farm.yaml');
    writeFileSync(file, stringify({ ...INCIDENT_PRESET, incidents: [{ kind: 'lice-outbreak', batch: 'INC-999', day: 'asOf-2d' }] }));
    const result = await runCli(['seed', file, '--no-cache']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}: incidents[0].batch = "INC-999": no such batch in the schedule (batches: FAR-2023-001, FAR-INC-520, FAR-INC-200)`);
    expect(result.stderr).toMatch(/fix: use a batch number from the schedule/);
  });
});
