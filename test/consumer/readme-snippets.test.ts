/**
 * The README's Vitest and Playwright snippets are the very files the consumer test installs and
 * runs (test/consumer/project): each snippet equals one file, and each file is in the README.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const project = join(root, 'test/consumer/project');

/** The fenced blocks of one `## title` section, by language. */
function blocks(readme: string, title: string, language: string): string[] {
  const start = readme.indexOf(`\n## ${title}\n`);
  expect(start, `README has a "## ${title}" section`).toBeGreaterThanOrEqual(0);
  const rest = readme.slice(start + title.length + 5);
  const section = rest.slice(0, rest.search(/\n## /) === -1 ? undefined : rest.search(/\n## /));
  return [...section.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)\\n```', 'g'))].map((match) => match[1]!);
}

async function projectFiles(): Promise<Map<string, string>> {
  const entries = await readdir(project, { recursive: true, withFileTypes: true });
  const files = new Map<string, string>();
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(project, path), (await readFile(path, 'utf8')).replace(/\n$/, ''));
  }
  return files;
}

describe('README snippets', () => {
  it('are, each of them, a whole file the consumer test runs, and every such file is in the README', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const snippets = [...blocks(readme, 'Vitest', 'ts'), ...blocks(readme, 'Playwright', 'ts')];
    const files = await projectFiles();
    expect(snippets.length).toBe(6);
    const contents = [...files.values()];
    for (const snippet of snippets) expect(contents, `README snippet not in test/consumer/project:\n${snippet}`).toContain(snippet);
    for (const [path, content] of files) expect(snippets, `test/consumer/project/${path} is not a README snippet`).toContain(content);
  });

  it('show the CI cache keyed by `aquaseed key` over the default cache directory', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const [yaml] = blocks(readme, 'CI caching', 'yaml');
    expect(yaml).toContain('npx aquaseed key single-batch');
    expect(yaml).toContain('uses: actions/cache@v4');
    expect(yaml).toContain('path: node_modules/.cache/aquaseed/snapshots');
    expect(yaml).toContain('key: aquaseed-${{ steps.farm.outputs.key }}');
  });
});
