import { describe, expect, it } from 'vitest';
import { escapeCopyText, rowEncoder } from '../../src/db/copy-encoder.js';
import type { Row } from '../../src/db/tables/index.js';

describe('COPY text encoding', () => {
  it('escapes backslash, tab, newline and carriage return', () => {
    expect(escapeCopyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(escapeCopyText('plain')).toBe('plain');
  });

  it('encodes a row in column order with \\N for NULL and t/f for booleans', () => {
    const row: Row<'infrastructure_geography'> = {
      id: 7,
      name: 'Faroe\tIslands',
      description: 'line1\nline2',
      created_at: '2024-01-01 00:00:00+00',
      updated_at: '2024-01-01 00:00:00+00',
    };
    expect(rowEncoder('infrastructure_geography')(row)).toBe(
      '7\tFaroe\\tIslands\tline1\\nline2\t2024-01-01 00:00:00+00\t2024-01-01 00:00:00+00\n',
    );
    const stage = rowEncoder('infrastructure_area')({
      id: 1, name: 'FI-SEA-01', latitude: 61.5, longitude: -6.5, max_biomass: 5000000, active: false,
      created_at: 'x', updated_at: 'y', geography_id: 1, area_group_id: null,
    });
    expect(stage).toBe('1\tFI-SEA-01\t61.5\t-6.5\t5000000\tf\tx\ty\t1\t\\N\n');
  });

  it('refuses a row that lacks a column instead of shifting the others', () => {
    const bad = { id: 1, name: 'x', description: '', created_at: 'x' } as unknown as Row<'infrastructure_geography'>;
    expect(() => rowEncoder('infrastructure_geography')(bad)).toThrow(/infrastructure_geography has no value for column updated_at/);
  });
});
