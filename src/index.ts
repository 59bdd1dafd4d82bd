/**
 * aquaseed: deterministic, realistic salmon-farm databases (the AquaMind data model) for tests.
 * The root entry point exports what the README documents and nothing more (api/aquaseed.api.md
 * is its reviewed report); everything else is internal to the package.
 *
 * @example
 * const farm = await seedFarm('single-batch');
 * const batches = await farm.db.selectFrom('batch_batch').selectAll().execute();
 * await farm.close();
 *
 * @packageDocumentation
 */
// Seeding, and handles on seeded farms.
export { seedFarm } from './seed/seed-farm.js';
export type { SeedFarmOptions, ServerOption } from './seed/options.js';
export { openFarm } from './seed/open-farm.js';
export type { Farm, FarmClone, SeedSummary } from './seed/farm.js';
export type { SeedProgress } from './seed/progress.js';
export type { Database } from './schema/tables/index.js';
// Schedules and their cache key.
export { planSchedule } from './preset-files/resolve.js';
export type { PlanOptions } from './schedule/plan.js';
export type { Schedule } from './schedule/types.js';
export type { IncidentInput, IncidentKind } from './schedule/incident-types.js';
export { scheduleStats } from './schedule/stats.js';
export { cacheKey } from './cache/key.js';
// The farm checks, without a test runner.
export { verifyFarm, incidentEvidence, type VerifyOptions, type VerifyReport } from './verify/index.js';
// A warm pool of copies for a harness of one's own (docs/isolation.md).
export { ClonePool } from './isolation/clone-pool.js';
// Errors.
export { AquaseedError, isAquaseedError, type AquaseedErrorCode } from './core/errors.js';
