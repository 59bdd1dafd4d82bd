/**
 * The matcher and fixture types reject wrong calls: matcher-types.ts compiled without its
 * `@ts-expect-error` comments must fail exactly on the lines that carried them, each error on
 * the matcher call it guards; the file as written must compile cleanly.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const checked = join(root, 'test/types/matcher-types.ts');
// Never written to disk: served to the compiler from memory, next to the real file so that
// `aquaseed/vitest` resolves the same way (the package's own exports, built into dist/).
const unchecked = join(root, 'test/types/matcher-types.unchecked.ts');

interface Stripped {
  text: string;
  /** 0-based lines (in `text`) that followed a removed `@ts-expect-error`. */
  guarded: number[];
}

function stripExpectations(source: string): Stripped {
  const kept: string[] = [];
  const guarded: number[] = [];
  for (const line of source.split('\n')) {
    if (/^\s*\/\/ @ts-expect-error/.test(line)) guarded.push(kept.length);
    else kept.push(line);
  }
  return { text: kept.join('\n'), guarded };
}

function compile(files: Record<string, string>): readonly ts.Diagnostic[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  const options = { ...parsed!.options, noEmit: true, declaration: false, sourceMap: false };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => name in files || fileExists(name);
  host.readFile = (name) => files[name] ?? readFile(name);
  host.getSourceFile = (name, language, ...rest) =>
    name in files ? ts.createSourceFile(name, files[name]!, language) : getSourceFile(name, language, ...rest);
  const program = ts.createProgram(Object.keys(files), options, host);
  return ts.getPreEmitDiagnostics(program);
}

describe('matcher and fixture typing', () => {
  const source = readFileSync(checked, 'utf8');
  const stripped = stripExpectations(source);
  const diagnostics = compile({ [checked]: source, [unchecked]: stripped.text });
  const lines = stripped.text.split('\n');
  const inFile = (file: string) => diagnostics.filter((d) => d.file?.fileName === file);

  it('accepts every right call and the types the fixtures promise', () => {
    expect(stripped.guarded.length).toBe(10);
    expect(ts.formatDiagnostics(inFile(checked), ts.createCompilerHost({}))).toBe('');
  });

  it('rejects each wrong call, on its own line, naming the matcher or fixture option', () => {
    const errors = inFile(unchecked).map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start!);
      return { line, text: lines[line]!, message: ts.flattenDiagnosticMessageText(d.messageText, '\n') };
    });
    expect([...new Set(errors.map((e) => e.line))].sort((a, b) => a - b)).toEqual(stripped.guarded);
    const byLine = (needle: string) => errors.find((e) => e.text.includes(needle));
    expect(byLine('toHaveSurvivalWithin(')?.message).toMatch(/'string' is not assignable to parameter of type 'number'/);
    expect(byLine('toHaveSurvivalBetween(')?.message).toMatch(/Property 'toHaveSurvivalBetween' does not exist/);
    expect(byLine('toHavePopulationAtDay()')?.message).toMatch(/Expected 1-2 arguments, but got 0/);
    expect(byLine("farmIsolation: 'snapshot'")?.message).toMatch(/'"snapshot"' is not assignable to type .*FarmIsolation|"clone" \| "transaction" \| "shared"/);
    expect(byLine('farmPreset: 40')?.message).toMatch(/Type 'number' is not assignable to type 'WorkerFixtureValue<string,/);
    expect(byLine("toHaveIncident('algae-bloom')")?.message).toMatch(/'"algae-bloom"' is not assignable to parameter of type '"lice-outbreak" \| "oxygen-drop" \|/);
    expect(byLine('{ ring: 7 }')?.message).toMatch(/'ring' does not exist in type 'IncidentQuery'/);
    expect(byLine("embedded: {} } })")?.message).toMatch(/Type '\{\}' is not assignable to type 'undefined'/);
    // What a developer sees from tsc: the file and line of the wrong call.
    const printed = ts.formatDiagnostics(inFile(unchecked), { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' });
    expect(printed).toContain(`test/types/matcher-types.unchecked.ts(${stripped.guarded[0]! + 1},`);
  });
});
