/**
 * A small farm for the incident tests: one Faroe batch from egg to harvest (FAR-2023-001, four
 * sea rings) and a lifecycle ladder in the water on asOf (FAR-INC-200 in Parr, FAR-INC-520 at sea
 * since day 450), with one or more incidents of every kind.
 */
import type { IncidentInput } from '../../src/index.js';
import type { PresetInput } from '../../src/schedule/preset.js';

export const INCIDENT_PRESET: PresetInput = {
  name: 'incidents',
  seed: 'aquaseed-incidents',
  asOf: '2025-11-21',
  geographies: ['Faroe Islands'],
  batches: 1,
  staggerDays: 30,
  firstStart: '2023-01-02',
  ladder: { label: 'INC', ages: [200, 520] },
  eggs: 3_500_000,
  stageDays: 90,
  adultMaxDays: 450,
  harvestTargetKg: [4.5, 6.5],
  seaRings: 4,
};

/** One or more incidents of every kind, as a test author writes them. */
export const EVERY_KIND: IncidentInput[] = [
  { kind: 'lice-outbreak', batch: 'INC-520', container: 'Ring-01', day: 'asOf-10d' },
  { kind: 'lice-outbreak', batch: 'INC-520', container: 'Ring-02', day: 'asOf-1d', untreated: true },
  { kind: 'oxygen-drop', batch: 'INC-200', container: 'C03', day: 'asOf-1d' },
  { kind: 'temperature-spike', batch: 'INC-520', container: 'Ring-03', day: 'asOf-2d', from: '12:00', hours: 3 },
  { kind: 'mortality-spike', batch: 'FAR-2023-001', day: 60, cause: 'Unknown', share: 0.05 },
  { kind: 'mortality-spike', batch: 'FAR-2023-001', day: 300, cause: 'Disease', share: 0.08 },
  { kind: 'disease', batch: 'INC-200', container: 'C05', day: 'asOf-5d' },
  { kind: 'harvest-overdue', batch: 'INC-520', day: 'asOf-4d' },
  { kind: 'feed-shortage', batch: 'INC-200', day: 'asOf-2d' },
];
