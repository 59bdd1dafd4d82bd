// The farm: master data and infrastructure, as a model for the engine and as rows for the database.
export { buildFarm, type FarmOptions } from './build.js';
export { emitFarmRows } from './emit.js';
export type * from '../core/model.js';
