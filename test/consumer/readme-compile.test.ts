/**
 * Every ```ts block of the README compiles, as written, against the built package: each block is
 * one module importing 'aquaseed', 'aquaseed/vitest' or 'aquaseed/playwright' as a user's project
 * would (package.json#exports, dist/*.d.ts), under a consumer's strict compiler options. The blocks
 * are served to the compiler from memory, so nothing is written to disk.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The ```ts blocks of the README with the line each starts on. */
function tsBlocks(readme: string): { line: number; text: string }[] {
  return [...readme.matchAll(/^```ts\n([\s\S]*?)\n```$/gm)].map((match) => ({
    line: readme.slice(0, match.index).split('\n').length + 1,
    text: match[1]!,
  }));
}

/** Diagnostics of `files` (path → text) compiled together as a consumer project's ES modules. */
function compile(files: Record<string, string>): readonly ts.Diagnostic[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => name in files || fileExists(name);
  host.readFile = (name) => files[name] ?? readFile(name);
  host.getSourceFile = (name, language, ...rest) => (name in files ? ts.createSourceFile(name, files[name]!, language) : getSourceFile(name, language, ...rest));
  return ts.getPreEmitDiagnostics(ts.createProgram(Object.keys(files), options, host));
}

describe('the README', () => {
  it('compiles every ts block unchanged against the built package', () => {
    expect(existsSync(join(root, 'dist/src/index.d.ts')), 'npm run build first: the blocks import the built package').toBe(true);
    const blocks = tsBlocks(readFileSync(join(root, 'README.md'), 'utf8'));
    expect(blocks.length).toBeGreaterThanOrEqual(9);
    // Beside the real files in test/consumer, so that 'aquaseed' resolves to this package by name
    // and 'vitest', '@playwright/test' to its dependencies. One module per block.
    const files = Object.fromEntries(blocks.map((block) => [join(root, 'test/consumer', `readme-line-${block.line}.ts`), block.text]));
    const diagnostics = compile(files);
    const printed = ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' });
    expect(printed, 'README.md ts blocks (readme-line-N.ts: the block starting on line N)').toBe('');
  });

  it('would name the block and the error of a snippet that does not compile', () => {
    const file = join(root, 'test/consumer', 'readme-line-1.ts');
    const diagnostics = compile({ [file]: "import { seedFarm } from 'aquaseed';\nawait seedFarm('tiny', { server: { url: 5 } });\n" });
    const printed = ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' });
    expect(printed).toMatch(/test\/consumer\/readme-line-1\.ts\(2,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
  });
});
