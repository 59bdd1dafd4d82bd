/**
 * Incidents in the schedule: what a test author writes resolves to one canonical form (batch
 * number, date, full container name, every default), the form survives YAML and validation
 * unchanged, and every incident the engine could not honour is refused with its field path and
 * the fix.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { planSchedule, type IncidentInput, type Schedule } from '../../src/index.js';
import { MORTALITY_REASON_NAMES } from '../../src/schedule/incident-types.js';
import { resolveSchedule } from '../../src/preset-files/resolve.js';
import { scheduleKey } from '../../src/cache/key.js';
import { scheduleToYaml, parseScheduleYaml } from '../../src/schedule/yaml.js';
import { validateSchedule } from '../../src/schedule/validate.js';
import { buildFarm } from '../../src/farm/index.js';
import { MemorySink } from '../../src/rows/sink.js';
import { emitFarmRows } from '../../src/farm/index.js';
import { resolveFeedContainer } from '../../src/engine/feeding.js';
import { feedContainerOf } from '../../src/core/layout.js';
import { incidentContainers } from '../../src/schedule/incidents/index.js';
import { EVERY_KIND, INCIDENT_PRESET } from '../support/incident-farm.js';
import { containingAll } from '../support/containing-all.js';

const plan = (incidents: IncidentInput[], extra: Record<string, unknown> = {}): Schedule => planSchedule({ ...INCIDENT_PRESET, ...extra, incidents } as never);

describe('canonical incidents', () => {
  const schedule = plan(EVERY_KIND);

  it('resolve batches, days, containers and defaults', () => {
    const incidents = schedule.incidents!;
    expect(incidents).toHaveLength(EVERY_KIND.length);
    expect(incidents[0]).toEqual({ kind: 'lice-outbreak', batch: 'FAR-INC-520', day: '2025-11-11', container: expect.stringMatching(/^FI-SEA-\d{2}-Ring-01$/), untreated: false });
    expect(incidents[2]).toEqual({ kind: 'oxygen-drop', batch: 'FAR-INC-200', day: '2025-11-20', container: expect.stringMatching(/^FI-FW-\d{2}-C-C03$/), from: '10:00', hours: 4, minPercent: 60 });
    // A batch day counts from the start date: FAR-2023-001 started 2023-01-02.
    expect(incidents[4]).toMatchObject({ kind: 'mortality-spike', batch: 'FAR-2023-001', day: '2023-03-03', cause: 'Unknown', share: 0.05 });
    expect(incidents[7]).toEqual({ kind: 'harvest-overdue', batch: 'FAR-INC-520', day: '2025-11-17' });
    // A shortage lasts through asOf unless told otherwise.
    expect(incidents[8]).toEqual({ kind: 'feed-shortage', batch: 'FAR-INC-200', day: '2025-11-19', days: 3 });
  });

  it('hash and seed the same after a round trip through YAML and validation', () => {
    const again = parseScheduleYaml(scheduleToYaml(schedule), 'round-trip.yaml');
    expect(again).toEqual(schedule);
    expect(validateSchedule(schedule)).toEqual(schedule);
    expect(scheduleKey(again)).toBe(scheduleKey(schedule));
    // Incidents come before the batch list in the file.
    const yaml = scheduleToYaml(schedule);
    expect(yaml.indexOf('incidents:')).toBeLessThan(yaml.indexOf('batches:'));
  });

  it('change the key, and an overdue harvest books its rings through asOf', () => {
    expect(scheduleKey(schedule)).not.toBe(scheduleKey(plan([])));
    const overdue = schedule.batches.find((b) => b.batchNumber === 'FAR-INC-520')!;
    const asOfDay = (Date.parse('2025-11-21') - Date.parse(overdue.startDate)) / 86_400_000;
    expect(overdue.sea!.endDay).toBeGreaterThan(asOfDay);
  });

  it('find the batch from a container only it holds that day, and a day relative to today', () => {
    const container = schedule.incidents![2] as { container: string };
    const clock = () => new Date('2025-11-21T23:59:00Z');
    const found = planSchedule({ ...INCIDENT_PRESET, asOf: 'today', incidents: [{ kind: 'oxygen-drop', container: container.container, day: 'today-1d' }] } as never, { clock });
    expect(found.incidents).toEqual([{ ...schedule.incidents![2] }]);
  });

  it('come after the preset’s own when passed as an option, and the planner names them there', () => {
    const both = planSchedule({ ...INCIDENT_PRESET, incidents: [EVERY_KIND[0]!] } as never, { incidents: [EVERY_KIND[2]!] });
    expect(both.incidents!.map((i) => i.kind)).toEqual(['lice-outbreak', 'oxygen-drop']);
    expect(() => planSchedule({ ...INCIDENT_PRESET, incidents: [EVERY_KIND[0]!] } as never, { incidents: [{ kind: 'disease', batch: 'NOPE', day: 'asOf' }] })).toThrow(
      expect.objectContaining({ name: 'AquaseedError', message: expect.stringContaining('options.incidents[0].batch = "NOPE"') }),
    );
  });

  it('name their containers as the engine finds them', () => {
    const lice = schedule.incidents![0]!;
    const adult = schedule.batches.find((b) => b.batchNumber === 'FAR-INC-520')!;
    expect(incidentContainers(lice, adult, schedule.stageDays)).toEqual([(lice as { container: string }).container]);
    const shortage = schedule.incidents![8]!;
    const parr = schedule.batches.find((b) => b.batchNumber === 'FAR-INC-200')!;
    expect(incidentContainers(shortage, parr, schedule.stageDays)).toHaveLength(10);
  });
});

describe('refused incidents name the field and the fix', () => {
  const cases: [string, IncidentInput, RegExp, RegExp][] = [
    ['an unknown batch', { kind: 'disease', batch: 'FAR-2031-001', day: 'asOf' }, /incidents\[0\]\.batch = "FAR-2031-001": no such batch in the schedule \(batches: FAR-2023-001, FAR-INC-520, FAR-INC-200\)/, /batch number from the schedule/],
    ['a container the batch does not hold', { kind: 'oxygen-drop', batch: 'FAR-INC-200', container: 'Ring-03', day: 'asOf' }, /incidents\[0\]\.container = "Ring-03": batch FAR-INC-200 does not hold it on that day; it is in FI-FW-\d{2}-Hall-C: FI-FW-\d{2}-C-C01 … FI-FW-\d{2}-C-C10 \(10\)/, /name one of those containers/],
    ['an area the batch is not in', { kind: 'lice-outbreak', batch: 'FAR-INC-520', area: 'FI-SEA-22', day: 'asOf-3d' }, /incidents\[0\]\.area = "FI-SEA-22": batch FAR-INC-520 is in FI-SEA-\d{2} on that day/, /use area: FI-SEA-\d{2}/],
    ['a day before the batch starts', { kind: 'disease', batch: 'FAR-INC-200', day: '2025-01-01' }, /incidents\[0\]\.day = "2025-01-01": 2025-01-01 is outside the batch's life: batch FAR-INC-200 lives from 2025-05-05 to 2025-11-21 \(asOf\)/, /pick a day from 2025-05-05 to 2025-11-21/],
    ['a day after asOf', { kind: 'mortality-spike', batch: 'FAR-INC-200', day: '2025-11-22', cause: 'Stress' }, /incidents\[0\]\.day = "2025-11-22": 2025-11-22 is outside the batch's life/, /pick a day from 2025-05-05 to 2025-11-21/],
    ['a day after a batch may have been harvested', { kind: 'mortality-spike', batch: 'FAR-2023-001', day: 790, cause: 'Stress' }, /incidents\[0\]\.day = 790: .* is outside the batch's life: batch FAR-2023-001 lives from 2023-01-02 to \d{4}-\d{2}-\d{2} \(its earliest possible harvest starts the next day\)/, /pick a day from 2023-01-02 to/],
    ['lice ashore', { kind: 'lice-outbreak', batch: 'FAR-INC-200', day: 'asOf' }, /incidents\[0\]\.day = "asOf": batch FAR-INC-200 is in Parr ashore on 2025-11-21; sea lice live at sea/, /the batch reaches the sea only on 2026-07-29, after 2025-11-21: pick a batch at sea then/],
    ['a treatment after the last day', { kind: 'lice-outbreak', batch: 'INC-520', day: 'asOf' }, /the bath treatment would fall on 2025-11-22, after the batch's last day/, /set untreated: true/],
    ['a disease in the egg stage', { kind: 'disease', batch: 'INC-200', day: 10 }, /batch FAR-INC-200 is in Egg&Alevin on 2025-05-15: no fish to sample yet/, /from its first Fry day/],
    ['an overdue harvest ashore', { kind: 'harvest-overdue', batch: 'INC-200', day: 'asOf' }, /only a batch at sea is harvested/, /reaches the sea only on/],
    ['a lice outbreak before the sea transfer', { kind: 'lice-outbreak', batch: 'INC-520', day: 400 }, /batch FAR-INC-520 is in Post-Smolt ashore on/, /pick a day from its sea transfer \(2025-09-12\) to 2025-11-21/],
    ['an oxygen "drop" inside the safe range', { kind: 'oxygen-drop', batch: 'INC-200', day: 'asOf', minPercent: 85 }, /incidents\[0\]\.minPercent = 85: an oxygen drop must fall below the safe range \(80-100 %\)/, /minPercent from 10 to below 78/],
    ['a spike past midnight', { kind: 'temperature-spike', batch: 'INC-200', day: 'asOf', from: '22:00', hours: 4 }, /incidents\[0\]\.hours = 4: from 22:00 for 4 hours runs past midnight/, /at most 2 hours/],
    ['a container no batch holds', { kind: 'oxygen-drop', container: 'FI-FW-12-A-C01', day: 'asOf' }, /incidents\[0\]\.container = "FI-FW-12-A-C01": no batch holds it on 2025-11-21/, /give batch/],
  ];

  it.each(cases)('%s', (_, incident, message, fix) => {
    expect(() => plan([incident])).toThrow(
      expect.objectContaining({ code: 'AQUASEED_INVALID_SCHEDULE', message: expect.stringMatching(message), fix: containingAll(fix, 'docs/incidents.md') }),
    );
  });

  it('an unknown kind and an unknown field, by their path', () => {
    expect(() => plan([{ kind: 'algae-bloom', batch: 'INC-200', day: 'asOf' } as never])).toThrow(
      expect.objectContaining({ name: 'AquaseedError', message: expect.stringMatching(/incidents\[0\]\.kind = "algae-bloom": .*'lice-outbreak' \| 'oxygen-drop'/) }),
    );
    expect(() => plan([{ kind: 'disease', batch: 'INC-200', day: 'asOf', severity: 'high' } as never])).toThrow(
      expect.objectContaining({ name: 'AquaseedError', message: expect.stringMatching(/incidents\[0\]\.severity = "high": not a known key/) }),
    );
    expect(() => plan([{ kind: 'mortality-spike', batch: 'INC-200', day: 'asOf', cause: 'Sharks' } as never])).toThrow(
      expect.objectContaining({ name: 'AquaseedError', message: expect.stringMatching(/incidents\[0\]\.cause = "Sharks": .*"Natural Death"/) }),
    );
  });

  it('a second harvest-overdue for one batch, and several problems at once', () => {
    expect(() => plan([{ kind: 'harvest-overdue', batch: 'INC-520', day: 'asOf-2d' }, { kind: 'harvest-overdue', batch: 'INC-520', day: 'asOf-1d' }])).toThrow(
      expect.objectContaining({
        name: 'AquaseedError',
        message: expect.stringMatching(/incidents\[1\]\.kind = "harvest-overdue": batch FAR-INC-520 already has a harvest-overdue \(incidents\[0\]\)/),
      }),
    );
    expect(() => plan([{ kind: 'disease', batch: 'X', day: 'asOf' }, { kind: 'disease', batch: 'Y', day: 'asOf' }])).toThrow(
      expect.objectContaining({
        name: 'AquaseedError',
        message: expect.stringMatching(/2 incident problems:\n {2}incidents\[0\]\.batch = "X": .*\(fix: .*\)\n {2}incidents\[1\]\.batch = "Y"/),
      }),
    );
  });

  it('an ambiguous rung label across geographies', () => {
    expect(() => plan([{ kind: 'disease', batch: 'INC-200', day: 'asOf' }], { geographies: ['Faroe Islands', 'Scotland'] })).toThrow(
      expect.objectContaining({
        name: 'AquaseedError',
        message: expect.stringMatching(/incidents\[0\]\.batch = "INC-200": the rung label matches FAR-INC-200 and SCO-INC-200/),
        fix: expect.stringMatching(/name the batch number/),
      }),
    );
    // So does a container's end both batches hold (a C01 in each Parr hall) …
    expect(() => plan([{ kind: 'disease', batch: 'INC-200', container: 'C01', day: 'asOf' }], { geographies: ['Faroe Islands', 'Scotland'] })).toThrow(
      expect.objectContaining({ name: 'AquaseedError', message: expect.stringMatching(/matches FAR-INC-200 and SCO-INC-200/) }),
    );
    // … but not a full container name: its prefix names the geography.
    const scottish = plan([], { geographies: ['Faroe Islands', 'Scotland'] }).batches.find((b) => b.batchNumber === 'SCO-INC-200')!;
    const container = scottish.freshwater[2]!.containers[0]!;
    const ok = plan([{ kind: 'disease', batch: 'INC-200', container, day: 'asOf' }], { geographies: ['Faroe Islands', 'Scotland'] });
    expect(ok.incidents).toEqual([{ kind: 'disease', batch: 'SCO-INC-200', day: '2025-11-21', container, disease: 'Pancreas disease' }]);
  });

  it('in a schedule file, with the file named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aquaseed-incidents-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'farm.yaml');
    const schedule = plan([]);
    writeFileSync(file, scheduleToYaml({ ...schedule, incidents: [{ kind: 'disease', batch: 'FAR-INC-200', day: '2024-12-31', disease: 'IPN' }] }));
    expect(() => resolveSchedule(file)).toThrow(
      expect.objectContaining({
        name: 'AquaseedError',
        message: expect.stringMatching(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: incidents\\[0\\]\\.day = "2024-12-31": .* outside the batch's life`)),
      }),
    );
  });
});

describe('incident vocabulary matches the farm', () => {
  it('mortality-spike causes are the farm’s health_mortalityreason names', () => {
    const sink = new MemorySink();
    emitFarmRows(buildFarm({ seed: 'x', establishedOn: '2023-01-01' }), sink);
    expect(sink.of('health_mortalityreason').map((row) => row.name)).toEqual([...MORTALITY_REASON_NAMES]);
  });

  it('the feed container of a tank or ring is the one the engine draws from', () => {
    const farm = buildFarm({ seed: 'x', establishedOn: '2023-01-01' });
    for (const name of ['FI-FW-03-B-C07', 'S-FW-10-E-C10', ...Array.from({ length: 20 }, (_, i) => `FI-SEA-05-Ring-${String(i + 1).padStart(2, '0')}`)]) {
      const container = farm.containers.get(farm.containerIdByName.get(name)!)!;
      expect(feedContainerOf(name)).toBe(resolveFeedContainer(farm, container).name);
    }
  });
});
