/**
 * broodstock_eggsupplier: one external egg supplier per geography. AquaMind's engine creates them
 * lazily with the first batch; the farm writes them up front so batches only reference them.
 *
 * ID order: AquaGen Norway (Faroe Islands), Marine Harvest Scotland (Scotland).
 */
import type { RowSink } from '../rows/sink.js';
import type { FarmModel, Geography } from '../core/model.js';
import type { GeographyName } from '../core/layout.js';
import { auditStamp } from '../rows/audit.js';
import { lookup, required } from './catalog.js';

const EGG_SUPPLIERS: readonly { geography: GeographyName; name: string }[] = [
  { geography: 'Faroe Islands', name: 'AquaGen Norway' },
  { geography: 'Scotland', name: 'Marine Harvest Scotland' },
];
const CONTACT_DETAILS = 'eggs@supplier.com';
const CERTIFICATIONS = 'ASC Certified';

export function buildEggSuppliers(geographies: readonly Geography[]): Map<number, number> {
  return new Map(
    EGG_SUPPLIERS.map((supplier, index) => [
      lookup(geographies, (g) => g.name === supplier.geography, `geography ${supplier.geography}`).id,
      index + 1,
    ]),
  );
}

/** broodstock_eggsupplier */
export function emitEggSuppliers(farm: FarmModel, sink: RowSink): void {
  const stamp = auditStamp(farm.establishedOn);
  const rows = farm.geographies
    .map((geography) => {
      const id = required(farm.eggSupplierIdByGeography, geography.id, `egg supplier of ${geography.name}`);
      return { id, name: lookup(EGG_SUPPLIERS, (s) => s.geography === geography.name, `supplier of ${geography.name}`).name };
    })
    .sort((a, b) => a.id - b.id);
  for (const { id, name } of rows) {
    sink.emit('broodstock_eggsupplier', { id, name, contact_details: CONTACT_DETAILS, certifications: CERTIFICATIONS, ...stamp });
  }
}
