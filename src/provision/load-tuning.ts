/**
 * Server settings for a disposable cluster holding reproducible data (see docs/fidelity.md): the
 * embedded server and the testcontainers image start with the same ones, so a farm loads alike.
 */
export const LOAD_TUNING: readonly string[] = [
  'fsync=off',
  'synchronous_commit=off',
  'full_page_writes=off',
  'wal_level=minimal',
  // A table or index made in the committing transaction is synced (free with fsync off), never
  // written to WAL whole, however small: a farm has a hundred small ones.
  'wal_skip_threshold=0',
  'max_wal_senders=0',
  'archive_mode=off',
  'max_wal_size=8GB',
  // Keep no spare WAL segments after a checkpoint: a stopped cluster is a snapshot, and every
  // recycled segment would be copied on each restore.
  'min_wal_size=32MB',
  'wal_recycle=off',
  'checkpoint_timeout=30min',
  'shared_buffers=512MB',
  'maintenance_work_mem=512MB',
  'work_mem=32MB',
  'max_connections=200',
];

/** `-c name=value` pairs for a postgres command line. */
export function loadTuningFlags(): string[] {
  return LOAD_TUNING.flatMap((setting) => ['-c', setting]);
}
