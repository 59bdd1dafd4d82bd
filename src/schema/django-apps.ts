/**
 * Which Django app of AquaMind a table belongs to: an app is migrated (or not yet, in an older
 * AquaMind) as a whole, so existing-schema mode judges a missing table by its app.
 */

/** Django's own tables that are not named `<app>_<model>`. */
const DJANGO_TABLES: Readonly<Record<string, string>> = {
  django_admin_log: 'admin',
  django_content_type: 'contenttypes',
  django_session: 'sessions',
};

/** AquaMind's app labels, longest first so `finance_core_…` is not read as `finance`. */
const APP_LABELS = [
  'migration_support',
  'infrastructure',
  'environmental',
  'finance_core',
  'broodstock',
  'authtoken',
  'historian',
  'inventory',
  'planning',
  'scenario',
  'finance',
  'harvest',
  'health',
  'batch',
  'users',
  'auth',
] as const;

/** The app label of an AquaMind table (`finance_core_periodlock` → `finance_core`), or null. */
export function djangoApp(table: string): string | null {
  const special = DJANGO_TABLES[table];
  if (special) return special;
  return APP_LABELS.find((label) => table === label || table.startsWith(`${label}_`)) ?? null;
}
