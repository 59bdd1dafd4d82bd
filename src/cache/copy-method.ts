/**
 * How copies within a directory's filesystem are made: `reflink` where it can share blocks (XFS
 * with reflink, Btrfs, APFS: a restore or clone writes almost nothing), else `file copy`. Probed
 * by cloning a small file, as a restore's first file is.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { reflink } from './entry-files.js';

export type FilesystemCopy = 'reflink' | 'file copy';

/** The copy method of `dir`'s filesystem; null when `dir` cannot be written (nothing known, nothing claimed). */
export async function copyMethodIn(dir: string): Promise<FilesystemCopy | null> {
  const probe = await mkdtemp(join(dir, '.copy-probe-')).catch(() => null);
  if (!probe) return null;
  try {
    await writeFile(join(probe, 'a'), Buffer.alloc(4096, 1));
    return await reflink(join(probe, 'a'), join(probe, 'b')).then(
      (): FilesystemCopy => 'reflink',
      (): FilesystemCopy => 'file copy',
    );
  } finally {
    await rm(probe, { recursive: true, force: true });
  }
}
