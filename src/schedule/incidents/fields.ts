/** The fields every incident kind's shape shares: its day, names, hours and its placement. */
import { z } from 'zod';
import { isIsoDate, isRelativeDate } from '../dates.js';

export const day = z.preprocess(
  (value) => (value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString().slice(0, 10) : value),
  z.union([
    z.number().int().min(0).max(10_000),
    z
      .string()
      .refine(
        (value) => isIsoDate(value) || isRelativeDate(value) || /^asOf(?:-\d{1,4}d)?$/.test(value),
        'expected a date (2025-11-19), asOf, asOf-<n>d, today-<n>d, or a batch day (a number)',
      ),
  ]),
);
export const name = z.string().min(1).max(100);
export const hour = z.string().regex(/^(?:[01]\d|2[0-3]):00$/, 'expected a whole hour HH:00, e.g. 10:00');
export const hours = z.number().int().min(1).max(24);
/** Where an incident happens (types: `Placement` in ../incident-types.ts). */
export const placement = { batch: name.optional(), container: name.optional(), area: name.optional(), day };
