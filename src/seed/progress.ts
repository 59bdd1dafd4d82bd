/**
 * Where a seed is; the CLI draws it, library users may log it. Phases arrive in this order (those
 * that do not apply are skipped): plan, provision, migrate (the app's migrate command, in migrate
 * mode), prepare, generate (or restore, when a logical snapshot is loaded instead), keys, indexes,
 * analyze, publish, done (the farm is published), setup (migrate.setup), then
 * snapshot when a cache entry is written and verify when a check runs after the seed. `seedFarm` returning, not `done`, is the end of the work.
 */
export type SeedPhase =
  | 'plan'
  | 'provision'
  | 'migrate'
  | 'prepare'
  | 'restore'
  | 'generate'
  | 'keys'
  | 'indexes'
  | 'analyze'
  | 'publish'
  | 'setup'
  | 'verify'
  | 'snapshot'
  | 'done';

export interface SeedProgress {
  phase: SeedPhase;
  /** Batches simulated so far and in all (during `generate`). */
  batchesDone?: number;
  batches?: number;
  /** Rows emitted so far. */
  rows?: number;
}

export type ProgressListener = (progress: SeedProgress) => void;
