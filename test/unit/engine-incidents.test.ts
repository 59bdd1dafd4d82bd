/**
 * Each incident kind, simulated in memory next to the same batch without it: the incident writes
 * what docs/incidents.md says, and nothing else changes (the other tables are identical row for
 * row, and in the tables it touches every routine row is still there, unchanged).
 */
import { describe, expect, it } from 'vitest';
import { planSchedule, type IncidentInput, type Schedule } from '../../src/index.js';
import { buildFarm } from '../../src/farm/index.js';
import type { FarmModel } from '../../src/core/model.js';
import type { MemorySink } from '../../src/rows/sink.js';
import type { TableName } from '../../src/schema/tables/index.js';
import { addDays } from '../../src/core/time.js';
import { LICE_TREATMENT_THRESHOLD, REORDER_BELOW_SHARE, SENSOR_SAFE_RANGE } from '../../src/core/domain.js';
import { runBatch } from '../support/engine-run.js';
import { INCIDENT_PRESET } from '../support/incident-farm.js';

const planWith = (incidents: IncidentInput[], asOf?: string): Schedule =>
  planSchedule({ ...INCIDENT_PRESET, ...(asOf ? { asOf } : {}), incidents } as never);

const base = planWith([]);
const farm: FarmModel = buildFarm({ seed: base.seed, establishedOn: addDays(base.batches[0]!.startDate, -30) });
const runs = new Map<string, MemorySink>();

/** The batch's rows (cached per schedule and batch). */
function rows(schedule: Schedule, batch: string): MemorySink {
  const key = `${JSON.stringify(schedule.incidents ?? [])}|${schedule.asOf}|${batch}`;
  let sink = runs.get(key);
  if (!sink) {
    sink = runBatch(farm, schedule, schedule.batches.findIndex((b) => b.batchNumber === batch)).sink;
    runs.set(key, sink);
  }
  return sink;
}

/** Tables whose rows differ between two runs. */
function changedTables(a: MemorySink, b: MemorySink): TableName[] {
  const names = new Set([...a.rows.keys(), ...b.rows.keys()]);
  return [...names].filter((table) => JSON.stringify(a.of(table)) !== JSON.stringify(b.of(table))).sort();
}

/** Rows without their id (ids of later rows shift when an incident adds one). */
const content = (list: readonly object[]) => list.map(({ id: _id, ...rest }: { id?: unknown }) => JSON.stringify(rest));

/** Every row of `routine` is in `withIncident` (ids aside), and what else is there. */
function added(routine: readonly object[], withIncident: readonly object[]): string[] {
  const left = new Map<string, number>();
  for (const row of content(withIncident)) left.set(row, (left.get(row) ?? 0) + 1);
  for (const row of content(routine)) {
    const n = left.get(row) ?? 0;
    expect(n, `routine row missing: ${row}`).toBeGreaterThan(0);
    left.set(row, n - 1);
  }
  return [...left].flatMap(([row, n]) => Array.from({ length: n }, () => row));
}

const containerId = (name: string) => farm.containerIdByName.get(name)!;
const parameterId = (name: string) => farm.parameters.find((p) => p.name === name)!.id;

describe.each([
  ['oxygen-drop', { kind: 'oxygen-drop', batch: 'INC-200', container: 'C03', day: 'asOf-1d' }, 'Dissolved Oxygen', [10, 11, 12, 13]],
  ['temperature-spike', { kind: 'temperature-spike', batch: 'INC-520', container: 'Ring-03', day: 'asOf-2d', from: '12:00', hours: 3 }, 'Temperature', [12, 13, 14]],
] as const)('%s', (kind, input, parameter, hours) => {
  const schedule = planWith([input as IncidentInput]);
  const incident = schedule.incidents![0] as { batch: string; day: string; container: string };
  const before = rows(base, incident.batch);
  const after = rows(schedule, incident.batch);

  it('changes the readings only', () => {
    expect(changedTables(before, after)).toEqual(['environmental_environmentalreading']);
  });

  it('reads out of the safe range every hour of the window in that container, and nowhere else', () => {
    const key = (r: { container_id: number | null; parameter_id: number; reading_time: string }) => `${r.container_id}|${r.parameter_id}|${r.reading_time}`;
    const routine = new Map(before.of('environmental_environmentalreading').map((r) => [key(r), r.value]));
    const incidentRows = after.of('environmental_environmentalreading');
    const inWindow = (r: { container_id: number | null; parameter_id: number; reading_time: string }) =>
      r.container_id === containerId(incident.container) && r.parameter_id === parameterId(parameter) && r.reading_time.startsWith(incident.day) && hours.includes(Number(r.reading_time.slice(11, 13)) as never);
    const window = incidentRows.filter(inWindow);
    expect(window.map((r) => Number(r.reading_time.slice(11, 13)))).toEqual(expect.arrayContaining([...hours]));
    expect(window).toHaveLength(hours.length);
    const unsafe = kind === 'oxygen-drop' ? (v: number) => v < SENSOR_SAFE_RANGE.oxygenPercent.min : (v: number) => v > SENSOR_SAFE_RANGE.temperatureC.sea.max;
    expect(window.every((r) => unsafe(r.value))).toBe(true);
    // Everything outside the window reads as it did, and the window adds one reading per hour without a routine one.
    const outside = incidentRows.filter((r) => !inWindow(r));
    expect(outside.every((r) => routine.get(key(r)) === r.value)).toBe(true);
    expect(incidentRows.length - routine.size).toBe(hours.filter((h) => ![6, 8, 10, 14, 16, 18].includes(h)).length);
    expect(incidentRows.every((r) => r.batch_container_assignment_id !== null)).toBe(true);
  });
});

describe('lice-outbreak', () => {
  const treated = planWith([{ kind: 'lice-outbreak', batch: 'INC-520', container: 'Ring-01', day: 'asOf-30d' }]);
  const untreated = planWith([{ kind: 'lice-outbreak', batch: 'INC-520', container: 'Ring-02', day: 'asOf-30d', untreated: true }]);
  const before = rows(base, 'FAR-INC-520');
  const adultFemale = farm.liceTypes.find((t) => t.species === 'Lepeophtheirus salmonis' && t.gender === 'female' && t.developmentStage === 'adult')!;
  const adultFemalesPerFish = (sink: MemorySink, ring: string) => {
    const sessions = new Map<string, number>();
    for (const r of sink.of('health_licecount')) {
      if (r.container_id !== containerId(ring) || r.lice_type_id !== adultFemale.id) continue;
      sessions.set(r.count_date.slice(0, 10), (sessions.get(r.count_date.slice(0, 10)) ?? 0) + (r.count_value ?? 0) / r.fish_sampled);
    }
    return sessions;
  };

  it('counts the ring above the treatment threshold on its day, bathes it the next, and changes nothing else', () => {
    const incident = treated.incidents![0] as { day: string; container: string };
    const after = rows(treated, 'FAR-INC-520');
    expect(changedTables(before, after)).toEqual(['health_historicallicecount', 'health_historicaltreatment', 'health_licecount', 'health_treatment']);
    const counts = adultFemalesPerFish(after, incident.container);
    expect(counts.get(incident.day)).toBeGreaterThan(LICE_TREATMENT_THRESHOLD);
    const baths = added(before.of('health_treatment'), after.of('health_treatment'));
    expect(baths).toHaveLength(1);
    expect(JSON.parse(baths[0]!)).toMatchObject({ treatment_type: 'physical', treatment_date: `${addDays(incident.day, 1)} 09:00:00+00`, container_id: containerId(incident.container) });
    // After the bath the ring carries fewer lice than it would have without the outbreak.
    const routine = adultFemalesPerFish(before, incident.container);
    const later = [...counts].filter(([day]) => day > addDays(incident.day, 1));
    expect(later.length).toBeGreaterThan(2);
    for (const [day, perFish] of later) expect(perFish).toBeLessThanOrEqual(routine.get(day)!);
    // The other rings count exactly as before.
    const otherRings = (sink: MemorySink) => content(sink.of('health_licecount').filter((r) => r.container_id !== containerId(incident.container)));
    expect(otherRings(after)).toEqual(otherRings(before));
  });

  it('untreated, stays above the threshold at every later count', () => {
    const incident = untreated.incidents![0] as { day: string; container: string };
    const after = rows(untreated, 'FAR-INC-520');
    expect(changedTables(before, after)).toEqual(['health_historicallicecount', 'health_licecount']);
    const counts = [...adultFemalesPerFish(after, incident.container)].filter(([day]) => day >= incident.day);
    expect(counts.length).toBeGreaterThan(3);
    expect(counts.every(([, perFish]) => perFish > LICE_TREATMENT_THRESHOLD)).toBe(true);
  });
});

describe('mortality-spike', () => {
  const schedule = planWith([{ kind: 'mortality-spike', batch: 'FAR-2023-001', day: 300, cause: 'Disease', share: 0.08 }]);
  const incident = schedule.incidents![0]!;
  const before = rows(base, 'FAR-2023-001');
  const after = rows(schedule, 'FAR-2023-001');

  it('kills the share in each container that day, recorded with the cause, after the day’s routine deaths', () => {
    const spikes = after.of('batch_mortalityevent').filter((r) => r.description.startsWith('Mortality spike'));
    expect(spikes).toHaveLength(10); // the Smolt hall's ten tanks
    expect(spikes.every((r) => r.event_date === incident.day && r.cause === 'DISEASE' && r.description.includes('Disease'))).toBe(true);
    const routineThatDay = before.of('batch_mortalityevent').filter((r) => r.event_date === incident.day);
    expect(content(after.of('batch_mortalityevent').filter((r) => r.event_date === incident.day && !r.description.startsWith('Mortality spike')))).toEqual(content(routineThatDay));
    const total = spikes.reduce((n, r) => n + r.count, 0);
    expect(total / (before.of('batch_actualdailyassignmentstate').filter((r) => r.date === incident.day).reduce((n, r) => n + r.population, 0))).toBeCloseTo(0.08, 3);
  });

  it('leaves everything before it as it was, and the batch harvests fewer fish', () => {
    const earlier = (sink: MemorySink) => content(sink.of('inventory_feedingevent').filter((r) => r.feeding_date < incident.day));
    expect(earlier(after)).toEqual(earlier(before));
    expect(content(after.of('environmental_environmentalreading'))).toEqual(content(before.of('environmental_environmentalreading')));
    const fish = (sink: MemorySink) => sink.of('harvest_harvestlot').reduce((n, r) => n + r.unit_count, 0);
    expect(fish(after)).toBeLessThan(fish(before) * 0.93);
  });
});

describe('disease', () => {
  const schedule = planWith([{ kind: 'disease', batch: 'INC-200', container: 'C05', day: 'asOf-5d', disease: 'Infectious salmon anaemia' }]);
  const incident = schedule.incidents![0] as { day: string; container: string };
  const before = rows(base, 'FAR-INC-200');
  const after = rows(schedule, 'FAR-INC-200');

  it('writes two high-severity journal entries and a poorly scoring sample of 75 fish, and nothing else', () => {
    expect(changedTables(before, after)).toEqual(
      [
        'health_fishparameterscore',
        'health_healthsamplingevent',
        'health_historicalhealthsamplingevent',
        'health_historicaljournalentry',
        'health_individualfishobservation',
        'health_journalentry',
      ].sort(),
    );
    const entries = added(before.of('health_journalentry'), after.of('health_journalentry')).map((row) => JSON.parse(row));
    expect(entries.map((e) => [e.category, e.severity, e.entry_date])).toEqual([
      ['issue', 'high', `${incident.day} 09:00:00+00`],
      ['diagnosis', 'high', `${incident.day} 17:00:00+00`],
    ]);
    expect(entries.every((e) => e.container_id === containerId(incident.container) && e.description.includes('Infectious salmon anaemia'))).toBe(true);
    const [event] = added(before.of('health_healthsamplingevent'), after.of('health_healthsamplingevent')).map((row) => JSON.parse(row));
    expect(event).toMatchObject({ sampling_date: incident.day, number_of_fish_sampled: 75, notes: expect.stringContaining('Disease investigation') });
    const scores = after.of('health_fishparameterscore').slice(before.count('health_fishparameterscore'));
    expect(scores).toHaveLength(75 * farm.healthParameterIds.length);
    expect(scores.reduce((n, s) => n + s.score, 0) / scores.length).toBeGreaterThan(1.8);
  });
});

describe('harvest-overdue', () => {
  // The day after its campaign starts (asOf 00:00), FAR-2023-001 is ACTIVE with its first rings emptied.
  const campaignStart = rows(base, 'FAR-2023-001').of('harvest_harvestevent')[0]!.event_date.slice(0, 10);
  const due = addDays(campaignStart, -3);
  const asOf = addDays(campaignStart, 1);
  const without = planWith([], asOf);
  const schedule = planWith([{ kind: 'harvest-overdue', batch: 'FAR-2023-001', day: due }], asOf);

  it('keeps the fish in their rings past asOf, with the planned harvest pending since its due day', () => {
    const before = rows(without, 'FAR-2023-001');
    const after = rows(schedule, 'FAR-2023-001');
    expect(before.count('harvest_harvestevent')).toBeGreaterThan(0);
    expect(after.count('harvest_harvestevent')).toBe(0);
    const active = after.of('batch_batchcontainerassignment').filter((a) => a.is_active);
    expect(active).toHaveLength(4);
    const harvest = after.of('planning_plannedactivity').filter((p) => p.activity_type === 'HARVEST');
    expect(harvest).toEqual([expect.objectContaining({ due_date: due, status: 'PENDING', completed_at: null })]);
    // The other planned activities are as a batch in the water on asOf has them.
    expect(after.of('planning_plannedactivity').filter((p) => p.activity_type !== 'HARVEST').every((p) => (p.due_date < asOf) === (p.status === 'COMPLETED'))).toBe(true);
    expect(after.of('batch_batch')[0]).toMatchObject({ status: 'ACTIVE', actual_end_date: null });
  });
});

describe('feed-shortage', () => {
  const schedule = planWith([{ kind: 'feed-shortage', batch: 'INC-200', day: 'asOf-2d' }]);
  const before = rows(base, 'FAR-INC-200');
  const after = rows(schedule, 'FAR-INC-200');
  const silo = [...farm.feedContainers.values()].find((fc) => fc.name === `${schedule.batches.find((b) => b.batchNumber === 'FAR-INC-200')!.freshwater[2]!.hall.replace('-Hall-', '-')}-Silo`)!;

  it('holds back the silo’s last re-order: the stock ends below the re-order level, the meals are as before', () => {
    expect(changedTables(before, after)).toEqual(['inventory_feedcontainerstock', 'inventory_feedpurchase', 'inventory_historicalfeedcontainerstock', 'inventory_historicalfeedpurchase']);
    expect(content(after.of('inventory_feedingevent'))).toEqual(content(before.of('inventory_feedingevent')));
    const parrFeed = farm.feeds.find((f) => f.stageOrder === 3)!;
    const purchasesOf = (sink: MemorySink) => new Map(sink.of('inventory_feedpurchase').map((p) => [p.id, p]));
    const stock = (sink: MemorySink) => {
      const purchases = purchasesOf(sink);
      return sink.of('inventory_feedcontainerstock').filter((s) => s.feed_container_id === silo.id && purchases.get(s.feed_purchase_id)?.feed_id === parrFeed.id).reduce((kg, s) => kg + s.quantity_kg, 0);
    };
    expect(stock(before)).toBeGreaterThanOrEqual(REORDER_BELOW_SHARE * silo.capacityKg);
    expect(stock(after)).toBeLessThan(REORDER_BELOW_SHARE * silo.capacityKg);
    expect(stock(after)).toBeGreaterThanOrEqual(0);
    // The re-order the shortage skipped was the base run's last one for that silo.
    const reorders = (sink: MemorySink) => sink.of('inventory_feedpurchase').filter((p) => p.notes === `Automatic re-order for ${silo.name}` && p.feed_id === parrFeed.id);
    expect(reorders(after).length).toBe(reorders(before).length - 1);
    expect(content(reorders(after))).toEqual(content(reorders(before).slice(0, -1)));
    const partLoads = after.of('inventory_feedpurchase').filter((p) => p.notes.startsWith(`Part-load for ${silo.name}`));
    expect(partLoads.every((p) => p.quantity_kg <= 0.1 * silo.capacityKg)).toBe(true);
  });
});
