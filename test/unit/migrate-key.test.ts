/**
 * The migrate part of a cache key: the commands and the content of the hashed files, nothing else.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateKey, type MigrateSetting } from '../../src/cache/migrate-key.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aquaseed-migrate-key-'));
  await mkdir(join(dir, 'notes', 'migrations'), { recursive: true });
  await writeFile(join(dir, 'notes', 'migrations', '0001_initial.py'), '# create notes_note\n');
  await writeFile(join(dir, 'notes', 'views.py'), 'def index(request): ...\n');
  await writeFile(join(dir, 'manage.py'), '#!/usr/bin/env python3\n');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function setting(overrides: Partial<MigrateSetting> = {}): MigrateSetting {
  return { command: 'python3 manage.py migrate --noinput', cwd: dir, hashFiles: ['*/migrations/*.py'], ...overrides };
}

describe('migrateKey', () => {
  it('hashes the matched files by relative path, in path order', async () => {
    await writeFile(join(dir, 'notes', 'migrations', '0002_more.py'), '# add a column\n');
    const { key, files } = await migrateKey(setting());
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(files).toEqual(['notes/migrations/0001_initial.py', 'notes/migrations/0002_more.py']);
  });

  it('changes when a hashed file is edited, added or renamed', async () => {
    const before = (await migrateKey(setting())).key;
    await writeFile(join(dir, 'notes', 'migrations', '0001_initial.py'), '# create notes_note with a title\n');
    const edited = (await migrateKey(setting())).key;
    expect(edited).not.toBe(before);
    await writeFile(join(dir, 'notes', 'migrations', '0002_more.py'), '');
    const added = (await migrateKey(setting())).key;
    expect(added).not.toBe(edited);
    await rm(join(dir, 'notes', 'migrations', '0002_more.py'));
    expect((await migrateKey(setting())).key).toBe(edited);
  });

  it('does not change when an unrelated file is edited or added, nor with where the directory is', async () => {
    const before = (await migrateKey(setting())).key;
    await writeFile(join(dir, 'notes', 'views.py'), 'def index(request): return None\n');
    await writeFile(join(dir, 'README.md'), 'notes\n');
    expect((await migrateKey(setting())).key).toBe(before);
    // The same project elsewhere (another checkout, another CI machine) has the same key.
    const elsewhere = await mkdtemp(join(tmpdir(), 'aquaseed-migrate-key-copy-'));
    try {
      await mkdir(join(elsewhere, 'notes', 'migrations'), { recursive: true });
      await writeFile(join(elsewhere, 'notes', 'migrations', '0001_initial.py'), '# create notes_note\n');
      expect((await migrateKey(setting({ cwd: elsewhere }))).key).toBe(before);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('changes with the command, the setup command and the variables given to them', async () => {
    const base = (await migrateKey(setting())).key;
    const keys = await Promise.all([
      migrateKey(setting({ command: 'python3 manage.py migrate --noinput --database default' })),
      migrateKey(setting({ setup: 'python3 manage.py setup' })),
      migrateKey(setting({ env: { DJANGO_SETTINGS_MODULE: 'farmsite.settings' } })),
    ]);
    expect(new Set([base, ...keys.map((k) => k.key)]).size).toBe(4);
    // Variables are hashed in name order, not as written.
    const ab = await migrateKey(setting({ env: { A: '1', B: '2' } }));
    const ba = await migrateKey(setting({ env: { B: '2', A: '1' } }));
    expect(ab.key).toBe(ba.key);
  });

  it('tells a byte moved between path and content apart', async () => {
    await writeFile(join(dir, 'notes', 'migrations', '0001_initial.py'), 'x');
    const one = (await migrateKey(setting())).key;
    await rm(join(dir, 'notes', 'migrations', '0001_initial.py'));
    await writeFile(join(dir, 'notes', 'migrations', '0001_initial.pyx'), '');
    expect((await migrateKey(setting({ hashFiles: ['*/migrations/*'] }))).key).not.toBe(one);
  });

  it('refuses a pattern that matches no file, naming it', async () => {
    await expect(migrateKey(setting({ hashFiles: ['*/migration/*.py'] }))).rejects.toMatchObject({
      code: 'AQUASEED_INVALID_OPTION',
      message: `migrate.hashFiles pattern "*/migration/*.py" matches no file under ${dir}`,
    });
  });
});
