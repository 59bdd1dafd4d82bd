/**
 * aquaseed: deterministic, realistic salmon-farm databases (the AquaMind data model) for tests.
 *
 * @example
 * const farm = await seedFarm('single-batch');
 * const batches = await farm.db.selectFrom('batch_batch').selectAll().execute();
 * await farm.close();
 */
export { seedFarm, type SeedFarmOptions } from './seed/seed-farm.js';
export { Farm, FarmClone, type SeedSummary, type CloneOptions } from './seed/farm.js';
export type { ResetOptions, ResetSummary, TrackingSummary } from './changes/index.js';
export { openFarm, type OpenFarmOptions } from './seed/open-farm.js';
export type { CloneStrategy } from './db/clone.js';
export { ClonePool, takePooledCopy, type ClonePoolOptions, type ClonePoolStats } from './isolation/clone-pool.js';
export type { SeedProgress, SeedPhase, ProgressListener } from './seed/progress.js';
export type { SeedTimings } from './seed/seed-database.js';
export { type PlanOptions } from './schedule/plan.js';
export { planSchedule } from './preset-files/resolve.js';
export { TODAY_ENV, type Clock } from './schedule/dates.js';
export { INCIDENT_KINDS, MORTALITY_REASON_NAMES, type Incident, type IncidentInput, type IncidentKind, type IncidentDay, type MortalityReasonName } from './schedule/incident-types.js';
export { type Preset, type PresetInput } from './schedule/preset.js';
export { presetNames, loadPreset, readPresetFile } from './preset-files/presets.js';
export { scheduleKey, canonicalJson } from './cache/key.js';
export { resolveSchedule } from './preset-files/resolve.js';
export { cacheKey } from './cache/key.js';
export { validateSchedule } from './schedule/validate.js';
export { scheduleToYaml, parseScheduleYaml } from './schedule/yaml.js';
export { readScheduleFile } from './preset-files/schedule-file.js';
export { scheduleStats, type ScheduleStats } from './schedule/stats.js';
export type { Schedule, BatchPlan, StageAllocation, SeaAllocation, FreshwaterStageKey } from './schedule/types.js';
export { AquaseedError, isAquaseedError, type AquaseedErrorCode } from './core/errors.js';
export type { Database, TableName, Row } from './schema/tables/index.js';
export { tables, tableNames } from './schema/tables/index.js';
export { SCHEMA_VERSION } from './schema/version.js';
export { ENGINE_VERSION } from './engine/version.js';
export { verifyFarm, formatReport, type FarmTarget, type VerifyReport, type VerifyOptions, type CheckResult, type CheckName } from './verify/index.js';
export { incidentEvidence, type IncidentEvidence, type IncidentQuery } from './verify/index.js';
