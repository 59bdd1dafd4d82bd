/** Where a seed is; the CLI draws it, library users may log it. */
export type SeedPhase = 'provision' | 'prepare' | 'generate' | 'keys' | 'indexes' | 'analyze' | 'publish' | 'done';

export interface SeedProgress {
  phase: SeedPhase;
  /** Batches simulated so far and in all (during `generate`). */
  batchesDone?: number;
  batches?: number;
  /** Rows emitted so far. */
  rows?: number;
}

export type ProgressListener = (progress: SeedProgress) => void;
