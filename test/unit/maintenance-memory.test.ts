/**
 * The sort memory of each index build: a share of the memory free now for a server on this
 * machine (loopback or a Unix socket), 512 MB for one elsewhere, never below 512 MB or above 4 GB.
 */
import { describe, expect, it } from 'vitest';
import { maintenanceWorkMem, onThisMachine } from '../../src/db/maintenance-memory.js';

const GB = 2 ** 30;

describe('onThisMachine', () => {
  it.each([
    ['postgres://u:p@127.0.0.1:5432/db', true],
    ['postgres://u:p@localhost/db', true],
    ['postgres://u:p@[::1]:5432/db', true],
    ['postgres://u:p@127.0.1.1/db', true],
    ['postgres:///db?host=/var/run/postgresql', true],
    ['postgres://u:p@db.internal:5432/db', false],
    ['postgres://u:p@10.0.0.5/db', false],
    ['not a url', false],
  ])('%s → %s', (url, expected) => {
    expect(onThisMachine(url)).toBe(expected);
  });
});

describe('maintenanceWorkMem', () => {
  it('gives each of the builds at once a share of half the free memory, for a server on this machine', () => {
    expect(maintenanceWorkMem('postgres://u:p@127.0.0.1/db', 3, 12 * GB)).toBe('2048MB');
    expect(maintenanceWorkMem('postgres://u:p@127.0.0.1/db', 2, 12 * GB)).toBe('3072MB');
  });

  it('keeps 512 MB when little is free and caps a build at 4 GB', () => {
    expect(maintenanceWorkMem('postgres://u:p@localhost/db', 3, 1 * GB)).toBe('512MB');
    expect(maintenanceWorkMem('postgres://u:p@localhost/db', 1, 64 * GB)).toBe('4096MB');
  });

  it('uses 512 MB for a server elsewhere, whose memory aquaseed cannot see', () => {
    expect(maintenanceWorkMem('postgres://u:p@db.internal/db', 3, 64 * GB)).toBe('512MB');
  });
});
