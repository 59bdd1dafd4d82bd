/**
 * Relative dating and incidents must not change a farm that uses neither: the tiny and
 * single-batch presets plan to the same cache keys and seed exactly the table contents (per-table
 * checksums) captured in test/fixtures/no-incident-checksums.json (first from the code before
 * either feature; regenerated once, on purpose, for ENGINE_VERSION 3: see its "about").
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withClient } from '../../src/db/client.js';
import { describe, expect, it } from 'vitest';
import { planSchedule, seedFarm } from '../../src/index.js';
import { scheduleKey } from '../../src/cache/key.js';
import { tableChecksums, type TableChecksum } from '../../src/db/checksum.js';

interface Captured {
  capturedFrom: string;
  [preset: string]: unknown;
}

const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/no-incident-checksums.json', import.meta.url)), 'utf8')) as Captured;

describe.each(['tiny', 'single-batch'])('%s without incidents', (preset) => {
  const captured = fixture[preset] as { key: string; tables: Record<string, TableChecksum> };

  it('plans to the captured cache key (of this ENGINE_VERSION and SCHEMA_VERSION)', () => {
    expect(scheduleKey(planSchedule(preset))).toBe(captured.key);
    // An empty incident list and overdueActivityDays 0 are the same schedule.
    expect(scheduleKey(planSchedule(preset, { incidents: [], overdueActivityDays: 0 }))).toBe(captured.key);
  });

  it(`seeds every table exactly as the code of ${fixture.capturedFrom} did`, async () => {
    const farm = await seedFarm({ preset, cache: false });
    try {
      const sums = await withClient(farm.url, async (client) => {
        // Row text forms of timestamptz follow the session's time zone; the fixture was taken in UTC.
        await client.query("SET TimeZone = 'UTC'");
        return tableChecksums(client);
      });
      const changed = Object.keys(captured.tables).filter((table) => JSON.stringify(sums[table as keyof typeof sums]) !== JSON.stringify(captured.tables[table]));
      expect(changed).toEqual([]);
      expect(Object.keys(sums).sort()).toEqual(Object.keys(captured.tables).sort());
    } finally {
      await farm.close();
    }
  });
});
