/**
 * Every error code a user can meet is documented in docs/troubleshooting.md with its cause, fix
 * and an example, and AquaseedError keeps what the CLI and callers rely on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AquaseedError, isAquaseedError } from '../../src/core/errors.js';
import { packageRoot } from '../../src/host/package-root.js';
import { checkServerVersion } from '../../src/provision/external.js';

const errorsSource = readFileSync(join(packageRoot(), 'src', 'core', 'errors.ts'), 'utf8');
const doc = readFileSync(join(packageRoot(), 'docs', 'troubleshooting.md'), 'utf8');

/** The codes of the AquaseedErrorCode union, read from the source text. */
function declaredCodes(): string[] {
  const union = /export type AquaseedErrorCode =([^;]+);/.exec(errorsSource)?.[1] ?? '';
  return [...union.matchAll(/'(AQUASEED_[A-Z0-9_]+)'/g)].map((match) => match[1] as string);
}

/** The doc's section for a code: from its heading to the next heading. */
function section(code: string): string {
  const start = doc.indexOf(`\n### ${code}\n`);
  if (start < 0) return '';
  const next = doc.indexOf('\n### ', start + 1);
  return doc.slice(start, next < 0 ? undefined : next);
}

describe('docs/troubleshooting.md', () => {
  const codes = declaredCodes();

  it('reads the codes from src/core/errors.ts', () => {
    expect(codes.length).toBeGreaterThanOrEqual(15);
    expect(codes).toContain('AQUASEED_CONTAINER_RUNTIME_UNAVAILABLE');
    expect(codes).toContain('AQUASEED_DISK_FULL');
  });

  it.each(codes)('documents %s with a cause, a fix and an example message', (code) => {
    const text = section(code);
    expect(text, `docs/troubleshooting.md has no "### ${code}" section`).not.toBe('');
    expect(text).toMatch(/\*\*Cause:\*\* \S/);
    expect(text).toMatch(/\*\*Fix:\*\* \S/);
    expect(text).toMatch(/\*\*Example:\*\* `[^`]+`/);
  });

  it('documents no code that no longer exists', () => {
    const documented = [...doc.matchAll(/^### (AQUASEED_[A-Z0-9_]+)$/gm)].map((match) => match[1]);
    expect(documented.filter((code) => !codes.includes(code as string))).toEqual([]);
  });
});

describe('AquaseedError', () => {
  it('carries its code, fix and cause, and is recognised across module copies by name', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const error = new AquaseedError('AQUASEED_DATABASE_UNREACHABLE', 'cannot reach PostgreSQL at 127.0.0.1:1 (ECONNREFUSED)', 'start it', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(isAquaseedError(error)).toBe(true);
    expect(isAquaseedError(cause)).toBe(false);
    expect(error).toMatchObject({ name: 'AquaseedError', code: 'AQUASEED_DATABASE_UNREACHABLE', fix: 'start it', cause });
  });
});

describe('server versions of external URLs', () => {
  it('accepts PostgreSQL 14 to 18 and newer, refuses 13 naming the server and the version', () => {
    for (const num of [140000, 150013, 180001, 190000]) expect(() => checkServerVersion(num, String(num), 'db:5432')).not.toThrow();
    expect(() => checkServerVersion(130016, '13.16', 'db:5432')).toThrow(
      expect.objectContaining({ code: 'AQUASEED_SERVER_VERSION', message: 'PostgreSQL at db:5432 is version 13.16; aquaseed supports PostgreSQL 14 and newer' }),
    );
  });
});
