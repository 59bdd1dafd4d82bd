/**
 * Writes every master-data row of a farm to a sink, table by table. Rows come from the farm model
 * plus the fixed catalogues of each module; every timestamp is the farm's establishment date.
 * Tables left empty on purpose: infrastructure_transportcarrier; finance_core_* rows come with the
 * batches (AquaMind's assignment signal), as do the rows of the history tables' engine side.
 *
 * Every row the bootstrap scripts created one by one also gets its django-simple-history `+` row
 * (../rows/history.ts), with history IDs 1..n per history table.
 */
import { HistorySink } from '../rows/history.js';
import { IdCounter } from '../rows/ids.js';
import type { RowSink } from '../rows/sink.js';
import { emitAreaGroups } from './area-groups.js';
import { emitContentTypes } from './content-types.js';
import { emitFeeds, emitParameters, emitSpecies, emitStages } from './biology.js';
import { emitEggSuppliers } from './egg-suppliers.js';
import { emitOpeningFeedStock } from './feed-stock.js';
import { emitCompanies, emitIntercompanyPolicies, emitSites } from './finance.js';
import { emitHealthParameters, emitLiceTypes, emitMortalityReasons, emitVaccinationTypes } from './health.js';
import {
  emitAreas,
  emitContainers,
  emitContainerTypes,
  emitFeedContainers,
  emitGeographies,
  emitHalls,
  emitStations,
} from './infrastructure-rows.js';
import type { FarmModel } from '../core/model.js';
import { emitActivityTemplates } from './planning.js';
import { emitProductGrades } from './product-grades.js';
import {
  emitBiologicalConstraints,
  emitFcrModel,
  emitMortalityModel,
  emitTemperatureProfiles,
  emitTgcModels,
} from './scenario-models.js';
import { emitSensors } from './sensors.js';
import { emitUsers } from './users.js';

const EMITTERS: readonly ((farm: FarmModel, sink: RowSink) => void)[] = [
  emitUsers,
  emitGeographies,
  emitAreaGroups,
  emitAreas,
  emitStations,
  emitHalls,
  emitContainerTypes,
  emitContainers,
  emitSensors,
  emitFeedContainers,
  emitSpecies,
  emitStages,
  emitParameters,
  emitFeeds,
  emitEggSuppliers,
  emitHealthParameters,
  emitMortalityReasons,
  emitLiceTypes,
  emitVaccinationTypes,
  emitProductGrades,
  emitTemperatureProfiles,
  emitTgcModels,
  emitFcrModel,
  emitMortalityModel,
  emitBiologicalConstraints,
  emitCompanies,
  emitSites,
  emitIntercompanyPolicies,
  emitActivityTemplates,
  emitContentTypes,
  emitOpeningFeedStock,
];

export function emitFarmRows(farm: FarmModel, sink: RowSink): void {
  const historyIds = new IdCounter();
  // The opening stock rows are emitted as created (the farm never draws from them).
  const withHistory = new HistorySink(sink, (table) => historyIds.next(table), farm.users.systemAdminId, ['inventory_feedcontainerstock']);
  for (const emit of EMITTERS) emit(farm, withHistory);
}
