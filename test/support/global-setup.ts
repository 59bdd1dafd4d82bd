import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every test run gets its own cache directory: a snapshot written by an older engine build must
 * never stand in for the code under test. Workers inherit the variable.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'aquaseed-test-cache-'));
  // As root, PostgreSQL runs as `postgres`, which must reach the clusters under it (else aquaseed
  // makes a stand-in root in the temp directory, which outlives the run).
  await chmod(dir, 0o755);
  process.env.AQUASEED_CACHE_DIR = dir;
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
