/**
 * The `app` option: the app under test as one process, or several started in order (an API, then
 * a web server in front of it). Checked here once, the same for every entry point, so a mistake
 * fails before anything starts, naming the entry and the field.
 */
import { AquaseedError } from '../../core/errors.js';

export interface AppSpec {
  /** Shell command that starts the app, run with /bin/sh -c; it must listen on $PORT. */
  command: string;
  /** Directory to run it in (default the current one). */
  cwd?: string;
  /** More variables, over the inherited ones and DATABASE_URL / PG* / PORT / APP_URL_*. */
  env?: Record<string, string>;
  /**
   * When the app is ready: a path polled until it answers with a status below 500 (default '/'),
   * or a RegExp awaited on its output (stdout or stderr, a line at a time).
   */
  ready?: string | RegExp;
  /** Milliseconds to become ready (default 60 000). */
  timeoutMs?: number;
  /** Its name in messages, logs and env (APP_URL_<NAME>); default `app<index>`. */
  name?: string;
  /**
   * The app's clock: 'asOf' starts it under libfaketime at the farm's asOf instant, an ISO instant
   * at that one; default its real clock.
   */
  clock?: 'asOf' | string;
  /** Milliseconds between SIGTERM and SIGKILL when it is stopped (default 5000). */
  stopGraceMs?: number;
}

/** One app, or several started in order (each gets the URLs of those before it). */
export type AppOption = AppSpec | readonly AppSpec[];

export interface CheckedAppSpec {
  index: number;
  name: string;
  command: string;
  cwd?: string;
  env: Record<string, string>;
  ready: string | RegExp;
  timeoutMs: number;
  clock?: 'asOf' | Date;
  stopGraceMs: number;
}

export const DEFAULT_APP_TIMEOUT_MS = 60_000;
export const DEFAULT_STOP_GRACE_MS = 5000;

const KEYS = new Set(['command', 'cwd', 'env', 'ready', 'timeoutMs', 'name', 'clock', 'stopGraceMs']);

/** `option` checked and filled in; `where` names it in messages (e.g. "use.app" or "app"). */
export function checkAppOption(option: unknown, where = 'app'): CheckedAppSpec[] {
  const list = Array.isArray(option) ? (option as unknown[]) : [option];
  if (list.length === 0) throw invalid(where, 'is an empty list', 'give one app, or a list of at least one');
  const specs = list.map((entry, index) => checkOne(entry, index, Array.isArray(option) ? `${where}[${index}]` : where));
  const names = new Set<string>();
  for (const spec of specs) {
    if (names.has(spec.name)) throw invalid(where, `names two apps ${JSON.stringify(spec.name)}`, 'give each app its own name');
    names.add(spec.name);
  }
  return specs;
}

function checkOne(entry: unknown, index: number, where: string): CheckedAppSpec {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
    throw invalid(where, `must be an object such as { command: 'npm start' }, got ${show(entry)}`, "e.g. app: { command: 'python manage.py runserver 127.0.0.1:$PORT --noreload', ready: '/login/' }");
  }
  const spec = entry as Record<string, unknown>;
  const unknown = Object.keys(spec).filter((key) => !KEYS.has(key));
  if (unknown.length > 0) throw invalid(where, `has unknown field ${unknown.map((key) => JSON.stringify(key)).join(', ')}`, `the fields are ${[...KEYS].join(', ')}`);
  if (typeof spec.command !== 'string' || spec.command.trim() === '') {
    throw invalid(`${where}.command`, `must be a shell command, got ${show(spec.command)}`, "e.g. command: 'node server.js' (it must listen on $PORT)");
  }
  if (spec.cwd !== undefined && (typeof spec.cwd !== 'string' || spec.cwd === '')) throw invalid(`${where}.cwd`, `must be a directory path, got ${show(spec.cwd)}`, 'give a path, relative to the current directory or absolute');
  const env = checkEnv(spec.env, `${where}.env`);
  const ready = spec.ready ?? '/';
  if (!(ready instanceof RegExp) && !(typeof ready === 'string' && ready.startsWith('/'))) {
    throw invalid(`${where}.ready`, `must be a path starting with '/' or a RegExp, got ${show(spec.ready)}`, "e.g. ready: '/health' or ready: /Listening on/");
  }
  const name = spec.name === undefined ? `app${index}` : spec.name;
  if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) {
    throw invalid(`${where}.name`, `must be a word (letters, digits, _ or -, starting with a letter), got ${show(spec.name)}`, "e.g. name: 'api'");
  }
  return {
    index,
    name,
    command: spec.command,
    ...(spec.cwd === undefined ? {} : { cwd: spec.cwd as string }),
    env,
    ready,
    timeoutMs: checkMs(spec.timeoutMs, `${where}.timeoutMs`, DEFAULT_APP_TIMEOUT_MS),
    ...(spec.clock === undefined ? {} : { clock: checkClock(spec.clock, `${where}.clock`) }),
    stopGraceMs: checkMs(spec.stopGraceMs, `${where}.stopGraceMs`, DEFAULT_STOP_GRACE_MS),
  };
}

function checkEnv(env: unknown, where: string): Record<string, string> {
  if (env === undefined) return {};
  if (!env || typeof env !== 'object' || Array.isArray(env)) throw invalid(where, `must be an object of strings, got ${show(env)}`, "e.g. env: { DJANGO_SETTINGS_MODULE: 'farmsite.settings' }");
  const checked: Record<string, string> = {};
  for (const [name, value] of Object.entries(env as Record<string, unknown>)) {
    if (typeof value !== 'string') throw invalid(`${where}.${name}`, `must be a string, got ${show(value)}`, 'give every variable as a string');
    if (name === 'PORT') {
      throw invalid(`${where}.PORT`, 'is chosen by aquaseed (a free port per app and worker)', 'leave PORT out and have the command listen on $PORT');
    }
    checked[name] = value;
  }
  return checked;
}

function checkMs(value: unknown, where: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  throw invalid(where, `must be a whole number of milliseconds above 0, got ${show(value)}`, `e.g. ${fallback}`);
}

function checkClock(clock: unknown, where: string): 'asOf' | Date {
  if (clock === 'asOf') return clock;
  if (typeof clock === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(clock) && !Number.isNaN(Date.parse(clock))) return new Date(clock);
  throw invalid(where, `must be 'asOf' or an ISO instant such as '2025-11-21T06:00:00Z', got ${show(clock)}`, "clock: 'asOf' runs the app at the farm's date; leave it out for the real clock");
}

function invalid(where: string, what: string, fix: string): AquaseedError {
  return new AquaseedError('AQUASEED_INVALID_OPTION', `${where} ${what}`, fix);
}

function show(value: unknown): string {
  if (value instanceof RegExp) return String(value);
  return JSON.stringify(value) ?? String(value);
}
