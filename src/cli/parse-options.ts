/**
 * The CLI's option values, checked as commander reads them: before any server starts or any file
 * is read, a bad value is refused naming the option, the value and what it takes
 * (AQUASEED_INVALID_OPTION, printed by src/cli/errors.ts). Values from the environment
 * (AQUASEED_DATABASE_URL) pass through the same parser; an empty one counts as unset.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AquaseedError } from '../core/errors.js';
import { calendarProblem, isAsOfValue } from '../schedule/dates.js';
import { parseDatabaseUrl } from '../provision/external.js';

/** `--database-url`: a postgres:// or postgresql:// URL naming a host and a database. */
export function parseDatabaseUrlOption(value: string): string {
  // An empty AQUASEED_DATABASE_URL (`AQUASEED_DATABASE_URL= npx aquaseed …`) means "none".
  if (value === '') return undefined as unknown as string;
  parseDatabaseUrl(value, '--database-url');
  return value;
}

/** `--as-of`: a real calendar date (2025-02-30 is refused), `today`, or `today-<n>d`. */
export function parseAsOf(value: string): string {
  if (isAsOfValue(value)) return value;
  const problem = calendarProblem(value);
  throw new AquaseedError(
    'AQUASEED_INVALID_OPTION',
    `--as-of ${JSON.stringify(value)} is not ${problem ? `a date on the calendar: ${problem}` : 'a YYYY-MM-DD date, today, today-<n>d, now or an ISO instant'}`,
    'pass a real date such as --as-of 2025-02-28, or --as-of today, today-3d, now or an instant such as 2025-11-21T11:33:00Z',
  );
}

/** A whole number option within [min, max], named in the error. */
export function wholeNumber(option: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new AquaseedError(
        'AQUASEED_INVALID_OPTION',
        `${option} ${JSON.stringify(value)} is not a whole number from ${min} to ${max}`,
        `pass e.g. ${option} ${Math.min(max, Math.max(min, 2))}`,
      );
    }
    return n;
  };
}

/** `--cache-dir`: a directory, or a path where one can be made (nothing there yet, or its parent a directory). */
export function parseDirectory(option: string): (value: string) => string {
  return (value) => {
    if (value.trim() === '') {
      throw new AquaseedError('AQUASEED_INVALID_OPTION', `${option} is empty`, `pass a directory, e.g. ${option} .cache/aquaseed, or leave it out`);
    }
    const kind = kindOf(value);
    if (kind === 'other') {
      throw new AquaseedError('AQUASEED_INVALID_OPTION', `${option} ${JSON.stringify(value)} is a file, not a directory`, `pass a directory (it is made if missing), or remove the file`);
    }
    return resolve(value);
  };
}

/** `-o, --output`: a file whose directory exists, and which is not itself a directory. */
export function parseOutputFile(option: string): (value: string) => string {
  return (value) => {
    if (kindOf(value) === 'directory') {
      throw new AquaseedError('AQUASEED_INVALID_OPTION', `${option} ${JSON.stringify(value)} is a directory`, `pass a file name, e.g. ${option} ${value.replace(/\/+$/, '')}/farm.out`);
    }
    const parent = dirname(resolve(value));
    if (kindOf(parent) !== 'directory') {
      throw new AquaseedError('AQUASEED_INVALID_OPTION', `${option} ${JSON.stringify(value)}: the directory ${parent} does not exist`, `create it first (mkdir -p ${parent}), or write elsewhere`);
    }
    return value;
  };
}

function kindOf(path: string): 'missing' | 'directory' | 'other' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'other';
  } catch {
    return 'missing';
  }
}
