import { describe, expect, it } from 'vitest';
import { CopyChunk, encodeRow, escapeCopyText } from '../../src/db/copy-encoder.js';
import type { Row } from '../../src/schema/tables/index.js';

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
    expect(encodeRow('infrastructure_geography', row)).toBe(
      '7\tFaroe\\tIslands\tline1\\nline2\t2024-01-01 00:00:00+00\t2024-01-01 00:00:00+00\n',
    );
    const stage = encodeRow('infrastructure_area', {
      id: 1, name: 'FI-SEA-01', latitude: 61.5, longitude: -6.5, max_biomass: 5000000, active: false,
      created_at: 'x', updated_at: 'y', geography_id: 1, area_group_id: null,
    });
    expect(stage).toBe('1\tFI-SEA-01\t61.500000\t-6.500000\t5000000.00\tf\tx\ty\t1\t\\N\n');
  });

  it('writes numerics at their scale, rounding half away from zero, and integers exactly', () => {
    const chunk = new CopyChunk(64);
    for (const [value, scale] of [[12.34567, 4], [-0.00004, 4], [-0.00005, 4], [0.1 + 0.2, 2], [1234567.5, 0], [7, 3], [-12.5, 1]] as const) {
      chunk.fixed(value, scale);
      chunk.tab();
    }
    chunk.int(-9007199254740991);
    chunk.tab();
    chunk.int(0);
    chunk.newline();
    expect(chunk.take().toString()).toBe('12.3457\t0.0000\t-0.0001\t0.30\t1234568\t7.000\t-12.5\t-9007199254740991\t0\n');
  });

  it('escapes text and keeps UTF-8', () => {
    const chunk = new CopyChunk(8);
    chunk.text('Tórshavn\tø\\x');
    chunk.newline();
    expect(chunk.take().toString('utf8')).toBe('Tórshavn\\tø\\\\x\n');
  });

  it('refuses a row that lacks a column instead of shifting the others', () => {
    const bad = { id: 1, name: 'x', description: '', created_at: 'x' } as unknown as Row<'infrastructure_geography'>;
    expect(() => encodeRow('infrastructure_geography', bad)).toThrow(/infrastructure_geography has no value for column updated_at/);
  });
});
