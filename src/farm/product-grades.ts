/**
 * harvest_productgrade: the five harvest grades of AquaMind's PRE master data. The engine splits
 * every harvest into one lot per grade and the intercompany policies price per grade.
 *
 * ID order: SUPERIOR, GRADE_A, GRADE_B, GRADE_C, REJECT.
 */
import type { RowSink } from '../rows/sink.js';
import type { FarmModel, ProductGrade } from '../core/model.js';
import { auditStamp } from '../rows/audit.js';
import { lookup } from './catalog.js';

const PRODUCT_GRADES: readonly { code: ProductGrade['code']; name: string; description: string }[] = [
  { code: 'SUPERIOR', name: 'Superior Quality', description: '5-7 kg, premium appearance' },
  { code: 'GRADE_A', name: 'Grade A', description: '4-6 kg, excellent quality' },
  { code: 'GRADE_B', name: 'Grade B', description: '3-5 kg, good quality' },
  { code: 'GRADE_C', name: 'Grade C', description: '2-4 kg, standard quality' },
  { code: 'REJECT', name: 'Reject', description: 'Below standard, for processing only' },
];

export function buildProductGrades(): ProductGrade[] {
  return PRODUCT_GRADES.map((g, index) => ({ id: index + 1, code: g.code }));
}

/** harvest_productgrade */
export function emitProductGrades(farm: FarmModel, sink: RowSink): void {
  const stamp = auditStamp(farm.establishedOn);
  for (const grade of farm.productGrades) {
    const spec = lookup(PRODUCT_GRADES, (g) => g.code === grade.code, `product grade ${grade.code}`);
    sink.emit('harvest_productgrade', { id: grade.id, code: grade.code, name: spec.name, description: spec.description, ...stamp });
  }
}
