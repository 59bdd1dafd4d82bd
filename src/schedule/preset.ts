/**
 * Presets: the YAML files in `presets/` describing a farm to plan (docs/presets.md lists every
 * key). Validated with a schema; every error names the key path, the bad value and what is allowed.
 *
 * A preset describes up to two kinds of batches, planned together:
 * - a cohort: `batches` (a number, or `auto`) started `staggerDays` apart, geographies
 *   interleaved, from `firstStart` (or so that the youngest is `youngestAgeDays` old on `asOf`);
 * - a ladder: per geography, one batch at each age of `ladder.ages` on `asOf` (the guide's UAT
 *   "lifecycle ladder"), numbered `FAR-UAT-105`.
 */
import { z } from 'zod';
import { AquaseedError } from '../core/errors.js';
import { GEOGRAPHY_NAMES, RINGS_PER_AREA, type GeographyName } from '../core/layout.js';
import { formatPath } from './paths.js';
import { isAsOfValue, isIsoDate, isRelativeDate } from './dates.js';
import { incidentsSchema } from './incidents/index.js';
import { didYouMean } from './suggest.js';
import { formatPosition, type Locate } from './yaml-positions.js';
import { type IncidentInput } from './incident-types.js';

export { formatPath };

const isoDate = z.string().refine(isIsoDate, 'expected a YYYY-MM-DD date in quotes, e.g. "2025-11-21"');
/** A password Django can hash and a login form can send: 1-128 characters. */
export const adminPasswordSchema = z.string().min(1, 'expected a password of at least 1 character').max(128, 'expected a password of at most 128 characters');

export const presetSchema = z
  .object({
    /** Preset name: the database is `aquaseed_<name>`. */
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lower-case letters, digits and dashes, e.g. my-farm'),
    description: z.string().default(''),
    /** Seed of every random stream (harvest targets, engine noise). */
    seed: z.string().min(1),
    /**
     * The farm's "now": a date (its 00:00 UTC), `today` / `today-3d`, `now` (the current hour) or an
     * ISO instant; relative values resolve in UTC when planned (src/schedule/dates.ts).
     */
    asOf: z
      .string()
      .refine(
        isAsOfValue,
        'expected a YYYY-MM-DD date in quotes (e.g. "2025-11-21"), today, today-<n>d (e.g. today-3d), now, or an ISO instant (e.g. "2025-11-21T11:33:00Z")',
      ),
    geographies: z
      .array(z.enum(GEOGRAPHY_NAMES as [GeographyName, ...GeographyName[]]))
      .min(1)
      .refine((list) => new Set(list).size === list.length, 'expected each geography at most once'),
    /** Batches of the cohort, all geographies together, or `auto` (from saturation and years). */
    batches: z.union([z.number().int().min(0).max(2000), z.literal('auto')]),
    /** Days between consecutive cohort starts (geographies interleaved); derived when batches is auto. */
    staggerDays: z.number().int().min(1).max(3650).optional(),
    /** Start of the first cohort batch; or give youngestAgeDays. */
    firstStart: isoDate.optional(),
    /** Age (days) of the youngest cohort batch on asOf; the alternative to firstStart. */
    youngestAgeDays: z.number().int().min(0).max(3650).optional(),
    /** With batches auto: years of batch starts before asOf. */
    years: z.number().positive().max(30).optional(),
    /** With batches auto: share of the tightest resource (a geography's sea rings or a stage's halls) held on an average day. */
    saturation: z.number().gt(0).max(1).optional(),
    eggs: z.number().int().min(10_000).max(10_000_000),
    stageDays: z.number().int().min(1).max(365),
    adultMaxDays: z.number().int().min(1).max(900),
    harvestTargetKg: z
      .tuple([z.number().positive().max(7), z.number().positive().max(7)])
      .refine(([a, b]) => a <= b, 'expected [min, max] with min <= max (kg, at most 7, the Adult stage weight cap)'),
    seaRings: z.number().int().min(1).max(RINGS_PER_AREA),
    ladder: z
      .object({
        /** Ages (days) on asOf of the ladder's batches, the same in every geography. */
        ages: z
          .array(z.number().int().min(0).max(5000))
          .min(1)
          .refine((ages) => new Set(ages).size === ages.length, 'expected each age once (it is part of the batch number)'),
        /** Middle part of the ladder's batch numbers: FAR-<label>-105. */
        label: z.string().regex(/^[A-Z][A-Z0-9]{0,9}$/, 'expected 1-10 upper-case letters or digits, starting with a letter, e.g. UAT'),
      })
      .strict()
      .optional(),
    /** Worker threads a seed of this preset may use (a hint for the seeding pool; not part of the cache key). */
    workers: z.number().int().min(1).max(64).optional(),
    /** Planned activities due within this many days before asOf are still PENDING (overdue) on asOf (default 0). */
    overdueActivityDays: z.number().int().min(0).max(365).optional(),
    /** Incidents the farm has (docs/incidents.md): a lice outbreak, an oxygen drop, a mortality spike, … */
    incidents: incidentsSchema.optional(),
    /** The password of `admin` and the farm's other users (default `admin123`, AquaMind's documented one). */
    adminPassword: adminPasswordSchema.optional(),
  })
  .strict()
  .superRefine((preset, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const cohort = preset.batches === 'auto' || preset.batches > 0;
    if (preset.batches === 'auto') {
      if (preset.staggerDays !== undefined) issue('staggerDays', 'with batches: auto the stagger is derived from saturation; remove staggerDays or give a batch count');
      if (preset.years === undefined) issue('years', 'batches: auto needs years (of batch starts before asOf), e.g. 4');
      if (preset.saturation === undefined) issue('saturation', 'batches: auto needs a saturation target in (0, 1], e.g. 0.85');
      if (preset.firstStart !== undefined) issue('firstStart', 'with batches: auto the first start follows from years; use youngestAgeDays instead');
    } else if (cohort && preset.staggerDays === undefined) {
      issue('staggerDays', 'a cohort of batches needs staggerDays (days between consecutive starts)');
    }
    if (cohort && preset.firstStart === undefined && preset.youngestAgeDays === undefined) {
      issue('firstStart', 'give firstStart (the first batch start) or youngestAgeDays (the youngest batch age on asOf)');
    }
    if (preset.firstStart !== undefined && preset.youngestAgeDays !== undefined) {
      issue('youngestAgeDays', 'give firstStart or youngestAgeDays, not both');
    }
    // A relative asOf is checked against firstStart once it resolves (planSchedule).
    if (preset.firstStart !== undefined && !isRelativeDate(preset.asOf) && preset.firstStart > preset.asOf.slice(0, 10)) {
      issue('firstStart', `expected a date on or before asOf (${preset.asOf})`);
    }
    if (!cohort && !preset.ladder) issue('batches', 'expected at least 1 batch (or auto), or a ladder');
  });

export type PresetInput = z.input<typeof presetSchema>;
export type Preset = z.infer<typeof presetSchema>;

export function parsePreset(value: unknown, source: string, locate?: Locate): Preset {
  const result = presetSchema.safeParse(value);
  if (result.success) return result.data;
  throw zodError(result.error, value, source, 'docs/presets.md', { schema: presetSchema, ...(locate ? { locate } : {}) });
}

const incidentOption = z.object({ options: z.object({ incidents: incidentsSchema }) });

/** The `incidents` option of planSchedule/seedFarm, checked like a preset's (errors name `options.incidents[i]`). */
export function parseIncidentOption(incidents: unknown, source: string): IncidentInput[] {
  const value = { options: { incidents } };
  const result = incidentOption.safeParse(value);
  if (result.success) return result.data.options.incidents as IncidentInput[];
  throw zodError(result.error, value, source, 'docs/incidents.md', { schema: incidentOption });
}

/** Where an error points: the file's positions, and the schema (for the keys and values a name should have been). */
export interface ErrorContext {
  locate?: Locate;
  schema?: z.ZodType;
}

/**
 * The first issue of a zod error as an AquaseedError naming the place (`file:line:column` when
 * the text is known), the key path, the bad value, what is allowed, and the nearest valid name
 * for a misspelt key or value.
 */
export function zodError(error: z.ZodError, value: unknown, source: string, docs: string, context: ErrorContext = {}): AquaseedError {
  const issue = error.issues[0] as z.core.$ZodIssue;
  // An unknown key is reported at the key itself (a typo, usually), not at the object holding it.
  const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const keyPath = unknownKey === undefined ? issue.path : [...issue.path, unknownKey];
  const path = formatPath(keyPath);
  const bad = keyPath.reduce<unknown>((node, key) => (node as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey], value);
  const message =
    unknownKey !== undefined
      ? `not a known key${knownKeysHint(unknownKey, context.schema, issue.path, value)}`
      : bad === undefined && issue.code === 'invalid_type'
        ? `a required key is missing (${issue.message.replace(/, received undefined$/, '')})`
        : `${issue.message}${valueHint(issue, bad)}`;
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : '';
  const where = formatPosition(source, context.locate?.(keyPath, unknownKey !== undefined ? 'key' : 'value'));
  return new AquaseedError(
    'AQUASEED_INVALID_SCHEDULE',
    `${where}: ${path} = ${describeValue(bad)}: ${message}${more}`,
    `fix ${path} in ${source} (see ${docs} for every key and its allowed values)`,
  );
}

/** For an unknown key: the nearest known key, else the known keys. */
function knownKeysHint(key: string, schema: z.ZodType | undefined, path: readonly PropertyKey[], value: unknown): string {
  const known = schema ? keysAt(schema, path, value) : [];
  if (known.length === 0) return ' (a typo?); remove or rename it';
  const near = didYouMean(key, known);
  return near ? `${near} (remove or rename it)` : `; the keys here are ${known.join(', ')}`;
}

/** For a value outside a list of choices: the nearest one. */
function valueHint(issue: z.core.$ZodIssue, bad: unknown): string {
  const choices =
    issue.code === 'invalid_value'
      ? issue.values.filter((choice): choice is string => typeof choice === 'string')
      : issue.code === 'invalid_union' && Array.isArray((issue as { options?: unknown }).options)
        ? ((issue as { options: unknown[] }).options.filter((choice): choice is string => typeof choice === 'string'))
        : [];
  return didYouMean(bad, choices);
}

/** The keys an object at `path` may have, read from the schema (a discriminated union: the option `value` picks). */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[], value: unknown): string[] {
  let node: unknown = schema;
  let data: unknown = value;
  for (const segment of [...path, undefined]) {
    node = unwrap(node, data);
    if (segment === undefined) break;
    const def = defOf(node);
    if (def?.type === 'object') node = (def.shape as Record<string, unknown>)[String(segment)];
    else if (def?.type === 'array') node = def.element;
    else if (def?.type === 'tuple') node = (def.items as unknown[])[Number(segment)];
    else if (def?.type === 'record') node = def.valueType;
    else return [];
    data = (data as Record<PropertyKey, unknown> | undefined)?.[segment];
  }
  const def = defOf(node);
  return def?.type === 'object' ? Object.keys(def.shape as Record<string, unknown>) : [];
}

type Def = { type: string } & Record<string, unknown>;

function defOf(node: unknown): Def | undefined {
  return (node as { _zod?: { def?: Def } } | undefined)?._zod?.def;
}

/** Through optional, default, pipe (preprocess) and union layers to the schema that holds keys. */
function unwrap(node: unknown, data: unknown): unknown {
  for (let depth = 0; depth < 20; depth++) {
    const def = defOf(node);
    if (!def) return node;
    if (['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch'].includes(def.type)) node = def.innerType;
    else if (def.type === 'pipe') node = defOf(def.out)?.type === 'transform' ? def.in : def.out;
    else if (def.type === 'lazy') node = (def.getter as () => unknown)();
    else if (def.type === 'union') {
      const options = def.options as unknown[];
      const discriminator = def.discriminator as string | undefined;
      const wanted = discriminator ? (data as Record<string, unknown> | undefined)?.[discriminator] : undefined;
      node =
        options.find((option) => {
          const shape = defOf(option)?.shape as Record<string, unknown> | undefined;
          const literal = defOf(shape?.[discriminator ?? ''])?.values as unknown[] | undefined;
          return literal?.includes(wanted);
        }) ?? options[0];
    } else return node;
  }
  return node;
}

function describeValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  if (value instanceof Date) return `${JSON.stringify(value.toISOString().slice(0, 10))} (a date: quote it)`;
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
