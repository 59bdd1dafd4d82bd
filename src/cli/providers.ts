import type { Provider } from '../seed/request.js';

export type { Provider };

/** The values `--provider` accepts (commander's `.choices()` rejects anything else). */
export const PROVIDERS: readonly Provider[] = ['embedded', 'external', 'testcontainers', 'auto'];
