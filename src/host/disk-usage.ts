/**
 * Bytes a directory tree takes on disk, counted as `du` counts them: allocated blocks (not file
 * lengths), directories included, a hard-linked file once, links not followed. What `aquaseed
 * cache ls` shows, so that its total is what `du -s` says of the cache directory.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export class DiskUsage {
  private readonly seen = new Set<string>();

  /** Bytes under `path` not counted by an earlier call on this counter (0 when it is gone). */
  async of(path: string): Promise<number> {
    let info;
    try {
      info = await lstat(path, { bigint: true });
    } catch {
      return 0; // removed meanwhile (a run that ended): it takes nothing
    }
    const id = `${info.dev}:${info.ino}`;
    if (this.seen.has(id)) return 0;
    this.seen.add(id);
    let bytes = Number(info.blocks) * 512;
    if (info.isDirectory()) {
      const names = await readdir(path).catch(() => [] as string[]);
      for (const name of names) bytes += await this.of(join(path, name));
    }
    return bytes;
  }
}

/** Bytes `path` takes on disk (see DiskUsage). */
export function diskUsage(path: string): Promise<number> {
  return new DiskUsage().of(path);
}
