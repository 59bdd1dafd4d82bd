/**
 * Existing-schema mode: a Django-migrated AquaMind database keeps its own tables, constraints,
 * indexes, sequences and Django bookkeeping; aquaseed only replaces the rows of the tables it
 * writes (src/db/existing-replacement.ts). Before anything is written, this module checks that the
 * database can take them: which of the farm's apps it has, and that every column fits.
 */
import type pg from 'pg';
import { AquaseedError } from '../core/errors.js';
import { tables, writtenTableNames, type TableName } from '../schema/tables/index.js';
import type { TableSpec } from '../schema/table.js';
import { readColumns } from './introspect.js';
import { columnMismatches, formatMismatch } from './existing-columns.js';
import { djangoApp } from '../schema/django-apps.js';
import { SHARED_TABLES } from './existing-shared-rows.js';

/** The tables whose rows a seed replaces: every table aquaseed writes except the shared ones. */
export const REPLACED_TABLES: readonly TableName[] = writtenTableNames.filter((name) => !SHARED_TABLES.has(name));

/**
 * Which of the farm's tables the database holds. An AquaMind version that predates one of the
 * apps aquaseed writes (finance_core came on 2026-03-11) has none of that app's tables: the farm
 * is seeded without them.
 */
export interface ExistingLayout {
  /** The apps left out, each with its tables. */
  absentApps: readonly { app: string; tables: readonly TableName[] }[];
  /** Every table of the absent apps. */
  absent: ReadonlySet<TableName>;
  /** The replaced tables the database holds (REPLACED_TABLES without the absent ones). */
  replaced: readonly TableName[];
}

/** A database with every table: nothing left out. */
export const COMPLETE_LAYOUT: ExistingLayout = { absentApps: [], absent: new Set(), replaced: REPLACED_TABLES };

/**
 * Stops before anything is written when a table or column aquaseed writes is missing or cannot
 * hold its values, listing every one in a single error. A whole app that is missing is no
 * mismatch (an older AquaMind), as long as no table the database has points into it.
 */
export async function checkExistingSchema(client: pg.ClientBase, schema: string, database: string): Promise<ExistingLayout> {
  const catalog = await readColumns(client, schema);
  const layout = existingLayout(new Set(catalog.keys()));
  const mismatches = columnMismatches(
    writtenTableNames.filter((name) => !layout.absent.has(name)).map((name) => tables[name]),
    catalog,
  );
  if (mismatches.length === 0) return layout;
  const shown = mismatches.slice(0, 40).map((m) => `  ${formatMismatch(m)}`);
  if (mismatches.length > shown.length) shown.push(`  … and ${mismatches.length - shown.length} more`);
  throw new AquaseedError(
    'AQUASEED_SCHEMA_MISMATCH',
    `existing-schema mode: database "${database}" (schema ${schema}) does not match the AquaMind schema aquaseed writes; ` +
      `${mismatches.length} column(s) missing or incompatible, nothing was changed:\n${shown.join('\n')}`,
    'migrate the database to the AquaMind version aquaseed targets (`python manage.py migrate`; see docs/aquamind.md for the commit), or seed an empty database without existing-schema mode (schema: \'existing\' / --existing-schema)',
  );
}

/** The apps none of whose tables `present` holds and into which no present table points. */
export function existingLayout(present: ReadonlySet<string>): ExistingLayout {
  const byApp = new Map<string, TableName[]>();
  for (const name of writtenTableNames) {
    const app = djangoApp(name) ?? name;
    let list = byApp.get(app);
    if (!list) byApp.set(app, (list = []));
    list.push(name);
  }
  const missingApps = new Set([...byApp].filter(([, names]) => names.every((name) => !present.has(name))).map(([app]) => app));
  // An app the rest of the farm points into cannot be left out: those columns would dangle.
  for (const name of writtenTableNames) {
    const spec: TableSpec = tables[name];
    if (missingApps.has(djangoApp(name) ?? name) || !present.has(name)) continue;
    for (const target of [...Object.values(spec.references ?? {}), ...Object.values(spec.logicalReferences ?? {})]) {
      missingApps.delete(djangoApp(target.slice(0, target.indexOf('.'))) ?? '');
    }
  }
  const absentApps = [...byApp].filter(([app]) => missingApps.has(app)).map(([app, names]) => ({ app, tables: names }));
  const absent = new Set(absentApps.flatMap((a) => a.tables));
  return { absentApps, absent, replaced: REPLACED_TABLES.filter((name) => !absent.has(name)) };
}

/** One notice line naming what a seed leaves out, or null when the database holds every table. */
export function describeAbsentApps(layout: ExistingLayout, database: string): string | null {
  if (layout.absentApps.length === 0) return null;
  const apps = layout.absentApps.map((a) => `${a.app} (${a.tables.join(', ')})`).join('; ');
  const which = layout.absentApps.length === 1 ? 'app' : 'apps';
  return (
    `existing-schema mode: database "${database}" has none of the tables of the ${which} ${apps}: ` +
    `an AquaMind version from before it; the farm is seeded without these ${layout.absent.size} tables`
  );
}
