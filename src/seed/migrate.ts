/**
 * Migrate mode (`seedFarm(preset, { migrate })`): the app's own schema in the farm's database. The
 * seed starts from an empty database, runs the app's migrate command in it (through the shell, in
 * `cwd`, with DATABASE_URL and PG* of that database), seeds the farm into what the migration made
 * (src/db/existing-migrated.ts), then runs `setup` once (an admin user, the app's fixture rows).
 * The result is cached under the schedule key and the migrate key together (src/cache/migrate-key.ts).
 */
import { existsSync, statSync } from 'node:fs';
import { AquaseedError } from '../core/errors.js';
import { migrateKey, type MigrateKey, type MigrateSetting } from '../cache/migrate-key.js';
import { withClient } from '../db/client.js';
import { hasMarker } from '../db/marker.js';
import { ident } from '../schema/identifiers.js';
import { runCommand } from '../host/run-command.js';
import { redactUrl } from '../provision/external.js';
import type { SeedRequest } from './request.js';
import type { Target } from './target.js';

/** A checked `migrate` setting and its key. */
export interface CheckedMigrate extends MigrateKey {
  setting: MigrateSetting;
}

const KEYS = new Set(['command', 'setup', 'cwd', 'env', 'hashFiles', 'timeoutMs']);

/** `value` checked (every field named in a message) and its migrate key. */
export async function checkMigrate(value: unknown, where = 'migrate'): Promise<CheckedMigrate> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(where, `must be an object such as { command: 'python3 manage.py migrate --noinput' }, got ${show(value)}`);
  }
  const given = value as Record<string, unknown>;
  const unknown = Object.keys(given).filter((key) => !KEYS.has(key) && given[key] !== undefined);
  if (unknown.length > 0) throw invalid(where, `has unknown field ${unknown.map((key) => JSON.stringify(key)).join(', ')}; the fields are ${[...KEYS].join(', ')}`);
  for (const field of ['command', 'setup'] as const) {
    const command = given[field];
    if (command === undefined && field === 'setup') continue;
    if (typeof command !== 'string' || command.trim() === '') throw invalid(`${where}.${field}`, `must be a shell command, got ${show(command)}`);
  }
  if (given.cwd !== undefined) {
    const cwd = given.cwd;
    if (typeof cwd !== 'string' || cwd === '' || !existsSync(cwd) || !statSync(cwd).isDirectory()) {
      throw invalid(`${where}.cwd`, `must be an existing directory, got ${show(cwd)} (relative paths are taken from ${process.cwd()})`);
    }
  }
  if (given.env !== undefined) {
    const env = given.env;
    if (!env || typeof env !== 'object' || Array.isArray(env) || Object.values(env).some((v) => typeof v !== 'string')) {
      throw invalid(`${where}.env`, `must be an object of strings, got ${show(env)}`);
    }
  }
  if (given.hashFiles !== undefined && typeof given.hashFiles !== 'string' && !Array.isArray(given.hashFiles)) {
    throw invalid(`${where}.hashFiles`, `must be a glob pattern or a list of them, got ${show(given.hashFiles)}`);
  }
  const timeout = given.timeoutMs;
  if (timeout !== undefined && !(typeof timeout === 'number' && Number.isInteger(timeout) && timeout > 0)) {
    throw invalid(`${where}.timeoutMs`, `must be a whole number of milliseconds above 0, got ${show(timeout)}`);
  }
  const setting = given as unknown as MigrateSetting;
  return { setting, ...(await migrateKey(setting)) };
}

/**
 * Makes the target database empty for the migration. A database on a server aquaseed started (its
 * embedded cluster, its container) is dropped and created again; one behind a URL, which is the
 * caller's, must be empty already or hold an earlier farm (the migration then brings it up to
 * date, and the seed replaces the farm's rows).
 */
export async function emptyForMigrate(target: Target): Promise<void> {
  const maintenance = target.server.url(target.server.maintenanceDatabase);
  if (target.server.provider !== 'external') {
    await withClient(maintenance, async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${ident(target.database)} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${ident(target.database)}`);
    });
    return;
  }
  const { tables, marked } = await withClient(target.url, async (client) => {
    const { rows } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY 1 LIMIT 6`,
    );
    return { tables: rows.map((row) => row.name), marked: await hasMarker(client) };
  });
  if (tables.length === 0 || marked) return;
  throw new AquaseedError(
    'AQUASEED_FOREIGN_DATABASE',
    `migrate mode: database "${target.database}" at ${redactUrl(target.url)} already holds tables aquaseed did not make (${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''}); the migrate command runs on an empty database, so nothing was changed`,
    'point the URL at an empty database (`createdb farm_template`), or leave the URL out to let aquaseed make one on its embedded server',
  );
}

/** Runs the migrate command on `url`; fails with AQUASEED_MIGRATE_FAILED (its exit code and last output). */
export async function runMigrate(url: string, migrate: CheckedMigrate, request: Pick<SeedRequest, 'onProgress'>): Promise<number> {
  request.onProgress?.({ phase: 'migrate' });
  const result = await runCommand(migrate.setting.command, { databaseUrl: url, ...commandOptions(migrate.setting), role: 'migrate' });
  return result.seconds;
}

/** Runs `migrate.setup` (if any) once on the seeded template, before anything copies it. */
export async function runSetup(url: string, migrate: CheckedMigrate, request: Pick<SeedRequest, 'onProgress'>): Promise<number> {
  if (migrate.setting.setup === undefined) return 0;
  request.onProgress?.({ phase: 'setup' });
  const result = await runCommand(migrate.setting.setup, { databaseUrl: url, ...commandOptions(migrate.setting), role: 'migrate.setup' });
  return result.seconds;
}

function commandOptions(setting: MigrateSetting): { cwd?: string; env?: Record<string, string>; timeoutMs?: number } {
  return {
    ...(setting.cwd !== undefined ? { cwd: setting.cwd } : {}),
    ...(setting.env !== undefined ? { env: setting.env } : {}),
    ...(setting.timeoutMs !== undefined ? { timeoutMs: setting.timeoutMs } : {}),
  };
}

function invalid(where: string, what: string): AquaseedError {
  return new AquaseedError(
    'AQUASEED_INVALID_OPTION',
    `${where} ${what}`,
    "e.g. migrate: { command: 'python3 manage.py migrate --noinput', setup: 'python3 manage.py setup', cwd: 'backend', hashFiles: ['*/migrations/*.py'] }",
  );
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
