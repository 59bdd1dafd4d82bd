import type { SeedFarmOptions } from '../seed/seed-farm.js';

export type Provider = NonNullable<SeedFarmOptions['provider']>;

/** The values `--provider` accepts (commander's `.choices()` rejects anything else). */
export const PROVIDERS: readonly Provider[] = ['embedded', 'external', 'testcontainers', 'auto'];
