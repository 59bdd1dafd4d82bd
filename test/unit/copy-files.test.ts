/**
 * The COPY chunks a first seed writes to its logical cache entry while it loads: one file per table
 * per loader, every chunk in the order written, each file's size and hash those of its bytes.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CopyFiles, copyTextFile, tableOfCopyTextFile } from '../../src/db/copy-files.js';
import { contentHasher } from '../../src/host/content-hash.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aquaseed-copy-files-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('writes each table to its own file, chunks in order, with the size and hash of the bytes on disk', async () => {
  const files = new CopyFiles(dir, 'w3');
  const writes = [
    files.write('batch_batch', Buffer.from('1\tA\n')),
    files.write('batch_mortalityevent', Buffer.from('7\t2\n')),
    files.write('batch_batch', Buffer.from('2\tB\n3\tC\n')),
  ];
  await Promise.all(writes);
  const written = await files.close();
  expect(written.map((file) => file.path)).toEqual([copyTextFile('batch_batch', 'w3'), copyTextFile('batch_mortalityevent', 'w3')]);
  expect(await readdir(dir)).toEqual(['batch_batch.w3.txt', 'batch_mortalityevent.w3.txt']);
  expect(await readFile(join(dir, 'batch_batch.w3.txt'), 'utf8')).toBe('1\tA\n2\tB\n3\tC\n');
  for (const file of written) {
    const bytes = await readFile(join(dir, file.path));
    const hasher = await contentHasher();
    hasher.update(bytes);
    expect(file).toEqual({ path: file.path, size: bytes.length, hash: hasher.digest() });
  }
});

it('refuses to overwrite a file another loader of the same part wrote, and says so on close', async () => {
  const first = new CopyFiles(dir, 'm');
  await first.write('batch_batch', Buffer.from('1\n'));
  await first.close();
  const second = new CopyFiles(dir, 'm');
  await expect(second.write('batch_batch', Buffer.from('2\n'))).rejects.toMatchObject({ code: 'EEXIST' });
  await expect(second.close()).rejects.toMatchObject({ code: 'EEXIST' });
  expect(await readFile(join(dir, 'batch_batch.m.txt'), 'utf8')).toBe('1\n');
});

it('reads the table back from a file name, and nothing from other names', () => {
  expect(tableOfCopyTextFile(copyTextFile('environmental_environmentalreading', 'w12'))).toBe('environmental_environmentalreading');
  expect(tableOfCopyTextFile('batch_batch.copy')).toBeNull();
  expect(tableOfCopyTextFile('manifest.json')).toBeNull();
});
