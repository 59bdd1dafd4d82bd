/**
 * django_content_type: the rows Django's contenttypes framework creates for every installed model.
 * aquaseed writes only the ones generated rows reference: intercompany transactions point at their
 * source through a generic foreign key, a BatchTransferWorkflow (smolt delivery at sea transfer)
 * or a HarvestEvent (harvest sale to logistics).
 *
 * ID order: batch.batchtransferworkflow, harvest.harvestevent (AquaMind's ids depend on the order
 * its migrations ran; an app resolves them by (app_label, model), never by id).
 */
import type { RowSink } from '../rows/sink.js';
import type { FarmModel } from '../core/model.js';

const CONTENT_TYPES = [
  { key: 'batchTransferWorkflow', appLabel: 'batch', model: 'batchtransferworkflow' },
  { key: 'harvestEvent', appLabel: 'harvest', model: 'harvestevent' },
] as const;

export function buildContentTypes(): FarmModel['contentTypeIds'] {
  return { batchTransferWorkflow: 1, harvestEvent: 2 };
}

/** django_content_type */
export function emitContentTypes(farm: FarmModel, sink: RowSink): void {
  const rows = CONTENT_TYPES.map((c) => ({ id: farm.contentTypeIds[c.key], app_label: c.appLabel, model: c.model }));
  for (const row of rows.sort((a, b) => a.id - b.id)) sink.emit('django_content_type', row);
}
