/**
 * A full disk foreseen: an entry's size (its source tree) against the cache directory's free space,
 * refused before anything is written, naming the directory, the need and the free space.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureRoom, freeBytes, treeBytes } from '../../src/cache/free-space.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aquaseed-free-space-'));
  mkdirSync(join(dir, 'base', '1'), { recursive: true });
  writeFileSync(join(dir, 'base', '1', 'a'), Buffer.alloc(3000));
  writeFileSync(join(dir, 'PG_VERSION'), '18\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('free space before an entry is written', () => {
  it('sums every file of a tree', async () => {
    expect(await treeBytes(dir)).toBe(3003);
  });

  it('passes when the disk holds the entry', async () => {
    await expect(ensureRoom(dir, 200 * 1024 * 1024, 'the physical snapshot of tiny', async () => 10 * 1024 ** 3)).resolves.toBeUndefined();
    expect(await freeBytes(dir)).toBeGreaterThan(0);
  });

  it('refuses a shortfall up front: AQUASEED_DISK_FULL with the directory, the need, the free space and what to prune', async () => {
    await expect(ensureRoom(dir, 200 * 1024 * 1024, 'the physical snapshot of tiny', async () => 12 * 1024 * 1024)).rejects.toMatchObject({
      code: 'AQUASEED_DISK_FULL',
      message: `the physical snapshot of tiny needs about 200 MB and the device holding ${dir} has 12 MB free; nothing was written`,
      fix: expect.stringContaining('npx aquaseed cache prune --all'),
    });
  });
});
