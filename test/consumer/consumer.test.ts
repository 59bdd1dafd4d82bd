/**
 * The package as a user gets it: `npm pack`, installed into fresh projects outside the repository
 * (os.tmpdir(), 0700 like /root): an ESM project whose README snippets (test/consumer/project, kept
 * identical to the README by readme-snippets.test.ts) run with Vitest and Playwright through the
 * public entry points only, and a CommonJS project as `npm init -y` makes it (test/consumer/cjs-project):
 * require() of every entry point, Vitest, and Playwright specs compiled to CommonJS. Both typecheck
 * with `"types": []`: the published declarations bring their own types.
 */
import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheKey } from 'aquaseed';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const projectTemplate = join(root, 'test/consumer/project');

interface Run {
  code: number;
  stdout: string;
  output: string;
}

/** Runs a command to completion and keeps its output for the assertion message. */
function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<Run> {
  return new Promise((done) => {
    execFile(command, args, { cwd, env: consumerEnv(), timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout, output: `${stdout}\n${stderr}` });
    });
  });
}

/** The consumer's runners must not think they are running inside this Vitest worker. */
function consumerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('VITEST') && key !== 'TEST' && key !== 'NODE_ENV' && key !== 'AQUASEED_TEMPLATES') env[key] = value;
  }
  return { ...env, CI: '1', FORCE_COLOR: '0', NO_COLOR: '1', TMPDIR: consumerTmp };
}

let dir: string;
let project: string;
let tarball: string;
/**
 * The consumer's temp directory (0755, so PostgreSQL running as `postgres` can use it): aquaseed
 * keeps the clusters of a cache it cannot share there, and they go with it when the tests end.
 */
let consumerTmp: string;

beforeAll(async () => {
  consumerTmp = await mkdtemp(join(tmpdir(), 'aquaseed-consumer-tmp-'));
  await chmod(consumerTmp, 0o755);
  expect(existsSync(join(root, 'dist/fixtures/vitest.js')), 'npm run build first: the tarball ships dist/').toBe(true);
  // mkdtemp makes it 0700, like a project under /root in a root CI container: as root, aquaseed
  // runs PostgreSQL as the `postgres` user, which cannot enter it, so aquaseed must run a copy of
  // the binaries installed below it and keep its clusters elsewhere.
  dir = await mkdtemp(join(tmpdir(), 'aquaseed-consumer-'));
  expect((await stat(dir)).mode & 0o777).toBe(0o700);
  project = join(dir, 'project');
  // dist/ is already built by `npm test`: skip `prepare` so packing does not rebuild under other tests.
  const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], root, 120_000);
  expect(pack.code, pack.output).toBe(0);
  tarball = (JSON.parse(pack.stdout) as { filename: string }[])[0]!.filename;
  await cp(projectTemplate, project, { recursive: true });
  const ours = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
    allowScripts: Record<string, boolean>;
  };
  const pin = (name: string) => ours.devDependencies[name]!;
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify(
      {
        name: 'aquaseed-consumer',
        private: true,
        type: 'module',
        // npm 11 runs the embedded PostgreSQL package's postinstall (it links its libraries) only when allowed.
        allowScripts: ours.allowScripts,
        devDependencies: {
          aquaseed: `file:../${tarball}`,
          vitest: pin('vitest'),
          '@playwright/test': pin('@playwright/test'),
          typescript: pin('typescript'),
          '@types/node': pin('@types/node'),
        },
      },
      null,
      2,
    ),
  );
  // The same snippets with no ambient types at all: nothing a consumer must guess to install.
  await writeFile(join(project, 'tsconfig.no-types.json'), JSON.stringify({ extends: './tsconfig.json', compilerOptions: { types: [] } }));
  const install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], project, 480_000);
  expect(install.code, install.output).toBe(0);
}, 600_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  if (consumerTmp) await rm(consumerTmp, { recursive: true, force: true });
});

describe('a project that installed the packed tarball', () => {
  it('typechecks the README snippets against the published types, also with "types": []', async () => {
    const tsc = await run('npx', ['tsc', '-p', 'tsconfig.json'], project, 300_000);
    expect(tsc.code, tsc.output).toBe(0);
    const bare = await run('npx', ['tsc', '-p', 'tsconfig.no-types.json'], project, 300_000);
    expect(bare.code, bare.output).toBe(0);
  });

  it('runs the Vitest snippets: seedFarm in beforeAll, farmTest, the matchers', async () => {
    const vitest = await run('npx', ['vitest', 'run'], project, 600_000);
    expect(vitest.code, vitest.output).toBe(0);
    expect(vitest.output).toMatch(/Test Files\s+2 passed/);
    expect(vitest.output).toMatch(/Tests\s+4 passed/);
  });

  it('runs the Playwright snippets: a worker-scoped farm, merged with its own fixtures', async () => {
    const playwright = await run('npx', ['playwright', 'test', '--reporter=line'], project, 600_000);
    expect(playwright.code, playwright.output).toBe(0);
    expect(playwright.output).toMatch(/2 passed/);
  });

  it('runs an app under test per worker (use.app) on 2 workers, each on its own database and port', async () => {
    // Written here, not in test/consumer/project: every file there is a README snippet.
    await writeFile(
      join(project, 'server.mjs'),
      `import http from 'node:http';
http.createServer((request, response) => response.end(request.url === '/db' ? process.env.PGDATABASE : 'ok')).listen(Number(process.env.PORT), '127.0.0.1');
`,
    );
    await writeFile(
      join(project, 'playwright.app.config.ts'),
      `import { defineConfig } from '@playwright/test';
import type { FarmWorkerOptions } from 'aquaseed/playwright';

export default defineConfig<object, Partial<FarmWorkerOptions>>({
  testDir: './e2e-app',
  globalSetup: 'aquaseed/playwright/global-setup',
  workers: 2,
  fullyParallel: true,
  use: { farmPreset: 'single-batch', app: { command: 'node server.mjs', ready: '/' } },
});
`,
    );
    await mkdir(join(project, 'e2e-app'), { recursive: true });
    await writeFile(
      join(project, 'e2e-app', 'app.spec.ts'),
      `import { test, expect } from 'aquaseed/playwright';

for (const n of [1, 2, 3, 4]) {
  test(\`the worker's app runs on the worker's farm (\${n})\`, async ({ app, farm, baseURL }) => {
    expect(baseURL).toBe(app.url);
    expect(await (await fetch(\`\${app.url}/db\`)).text()).toBe(farm.summary.database);
    console.log(\`app \${app.url} on \${farm.summary.database}\`);
  });
}
`,
    );
    const playwright = await run('npx', ['playwright', 'test', '-c', 'playwright.app.config.ts', '--reporter=list'], project, 600_000);
    expect(playwright.code, playwright.output).toBe(0);
    expect(playwright.output).toMatch(/4 passed/);
    const pairs = new Set([...playwright.output.matchAll(/app (http:\/\/\S+) on (\S+)/g)].map((match) => `${match[1]} ${match[2]}`));
    // Two workers: two apps, two databases.
    expect(new Set([...pairs].map((pair) => pair.split(' ')[0])).size, playwright.output).toBe(2);
    expect(new Set([...pairs].map((pair) => pair.split(' ')[1])).size, playwright.output).toBe(2);
  });

  it('prints the CI cache key of a preset', async () => {
    const key = await run('npx', ['aquaseed', 'key', 'single-batch'], project, 120_000);
    expect(key.code, key.output).toBe(0);
    expect(key.stdout.trim()).toBe(cacheKey('single-batch'));
  });
});

/** Requires every entry point a CommonJS module can load outside a runner (farmTest needs Vitest running). */
const REQUIRE_EVERY_ENTRY = `
const { cacheKey } = require('aquaseed');
for (const entry of ['aquaseed/playwright', 'aquaseed/matchers', 'aquaseed/vitest/global-setup', 'aquaseed/playwright/global-setup']) {
  if (typeof require(entry) !== 'object') throw new Error('require(' + entry + ') gave no module');
}
console.log(cacheKey('tiny'));
`;

describe('a CommonJS project (npm init -y) that installed the packed tarball', () => {
  let cjs: string;

  beforeAll(async () => {
    cjs = join(dir, 'cjs-project');
    await cp(join(root, 'test/consumer/cjs-project'), cjs, { recursive: true });
    const init = await run('npm', ['init', '-y'], cjs, 60_000);
    expect(init.code, init.output).toBe(0);
    const manifest = JSON.parse(await readFile(join(cjs, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.type ?? 'commonjs').toBe('commonjs');
    const ours = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string>; allowScripts: Record<string, boolean> };
    const pin = (name: string) => ours.devDependencies[name]!;
    // No @types/node, no @types/pg: whatever the declarations need must come with aquaseed.
    manifest.allowScripts = ours.allowScripts;
    manifest.devDependencies = { aquaseed: `file:../${tarball}`, vitest: pin('vitest'), '@playwright/test': pin('@playwright/test'), typescript: pin('typescript') };
    await writeFile(join(cjs, 'package.json'), JSON.stringify(manifest, null, 2));
    const install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], cjs, 480_000);
    expect(install.code, install.output).toBe(0);
  }, 600_000);

  it('require()s every entry point (Node >= 20.19 loads the ESM build: no top-level await in any of them)', async () => {
    const required = await run(process.execPath, ['-e', REQUIRE_EVERY_ENTRY], cjs, 60_000);
    expect(required.code, required.output).toBe(0);
    expect(required.stdout.trim()).toBe(cacheKey('tiny'));
  });

  it('typechecks with "types": [] and module NodeNext, no @types installed by the project', async () => {
    const tsc = await run('npx', ['tsc', '-p', 'tsconfig.json'], cjs, 300_000);
    expect(tsc.code, tsc.output).toBe(0);
  });

  it('runs Vitest with the global setup and farmTest', async () => {
    const vitest = await run('npx', ['vitest', 'run'], cjs, 600_000);
    expect(vitest.code, vitest.output).toBe(0);
    expect(vitest.output).toMatch(/Tests\s+1 passed/);
  });

  it('runs Playwright specs, which Playwright compiles to CommonJS here', async () => {
    const playwright = await run('npx', ['playwright', 'test', '--reporter=line'], cjs, 600_000);
    expect(playwright.code, playwright.output).toBe(0);
    expect(playwright.output).toMatch(/1 passed/);
  });
});
