/**
 * App processes (src/isolation/app): a real Node HTTP server started through the shell in its own
 * process group on a free PORT with a real database's variables; readiness by path and by output;
 * a list of two where the second reaches the first; an app that dies before it is ready, one killed
 * mid-run, one that ignores SIGTERM; nothing left in the process table after stop() or after its
 * owner dies; and the app's clock under libfaketime.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seedFarm, type Farm } from '../../src/index.js';
import { groupMembers } from '../../src/host/process-group.js';
import { isRunning } from '../../src/host/process-owner.js';
import { startApps, type AppGroup } from '../../src/isolation/app/apps.js';
import { checkAppOption } from '../../src/isolation/app/spec.js';
import { findLibfaketime } from '../../src/isolation/app/faketime.js';
import { packageRoot } from '../../src/host/package-root.js';
import { writeTestApp, type TestApp } from '../support/test-app.js';

let farm: Farm;
let app: TestApp;
const running: AppGroup[] = [];

beforeAll(async () => {
  farm = await seedFarm('tiny');
  app = await writeTestApp();
});

afterAll(async () => {
  for (const group of running) await group.stop();
  await app?.remove();
  await farm?.close();
});

async function start(option: Parameters<typeof startApps>[0], asOf?: Date): Promise<AppGroup> {
  const group = await startApps(option, { databaseUrl: farm.url, ...(asOf ? { asOf } : {}) });
  running.push(group);
  return group;
}

async function get(url: string): Promise<string> {
  const response = await fetch(url);
  return response.text();
}

describe('starting an app', () => {
  it('runs the command through the shell on a free PORT with the database variables, ready when the path answers below 500', async () => {
    const saved = process.env.PGSSLMODE;
    process.env.PGSSLMODE = 'require'; // a developer's own setting must not reach the app
    let group: AppGroup;
    try {
      group = await start({ command: app.command, cwd: app.dir, ready: '/ready', env: { READY_AFTER: '2', EXTRA: 'x', PG_MODULE: createRequire(import.meta.url).resolve('pg') } });
    } finally {
      if (saved === undefined) delete process.env.PGSSLMODE;
      else process.env.PGSSLMODE = saved;
    }
    const { url, port } = group;
    expect(url).toBe(`http://localhost:${port}`);
    // Ready only once /ready answered 200: after two 503s.
    expect(Number(await get(`${url}/probes`))).toBe(3);
    const env = JSON.parse(await get(`${url}/env`)) as Record<string, string | null>;
    const db = new URL(farm.url);
    expect(env).toMatchObject({
      DATABASE_URL: farm.url,
      PGHOST: db.hostname,
      PGPORT: db.port,
      PGUSER: decodeURIComponent(db.username),
      PGDATABASE: db.pathname.slice(1),
      PGSSLMODE: null,
      PORT: String(port),
      EXTRA: 'x',
      APP_URL_0: null,
    });
    // node-postgres given nothing but the PG* variables reaches the farm's database.
    expect(JSON.parse(await get(`${url}/db`))).toEqual({ db: db.pathname.slice(1), who: decodeURIComponent(db.username) });
    expect(group.logs()).toBe(`listening on ${port}`);
    await group.stop();
  });

  it('waits for a line of output when ready is a RegExp', async () => {
    const group = await start({ command: `echo warming up; ${app.command}`, cwd: app.dir, ready: /^listening on \d+$/ });
    expect(group.logs()).toBe(`warming up\nlistening on ${group.port}`);
    expect(await get(group.url)).toBe('ok');
    await group.stop();
  });

  it('starts a list in order: each app its own PORT, the later ones the URLs of those before', async () => {
    const group = await start([
      { command: app.command, cwd: app.dir, name: 'api' },
      { command: app.command, cwd: app.dir, name: 'web' },
    ]);
    const [api, web] = group.apps;
    expect(group.url).toBe(web!.url);
    expect(api!.port).not.toBe(web!.port);
    expect(JSON.parse(await get(`${web!.url}/env`))).toMatchObject({ APP_URL_0: api!.url, APP_URL_API: api!.url, UPSTREAM_URL: api!.url });
    // The web app reaches the API through the URL it was given.
    expect(JSON.parse(await get(`${web!.url}/upstream`))).toMatchObject({ PORT: String(api!.port), APP_URL_0: null });
    expect(group.logs()).toBe(`── api (${api!.url}) ──\nlistening on ${api!.port}\n── web (${web!.url}) ──\nlistening on ${web!.port}`);
    await group.stop();
    expect(groupMembers(api!.pid)).toEqual([]);
    expect(groupMembers(web!.pid)).toEqual([]);
  });

  it('fails with AQUASEED_APP_START naming the exit code and the last output when the app exits before it is ready', async () => {
    const error = await startApps({ command: app.command, cwd: app.dir, env: { EXIT_EARLY: 'FATAL: could not connect to the database' } }, { databaseUrl: farm.url }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AQUASEED_APP_START' });
    const message = (error as Error).message;
    expect(message).toMatch(/^app '.*server\.mjs' \(in .*, PORT=\d+, DATABASE_URL=postgres:\/\/.*\) exited with code 3 before it was ready \(waited for GET \/ answering below 500 on http:\/\/localhost:\d+\); its last output:\nstarting\n\[stderr\] FATAL: could not connect to the database$/);
    // The password is not shown.
    expect(message).toContain(`DATABASE_URL=postgres://${new URL(farm.url).username}:***@`);
    expect(message).not.toContain(`:${new URL(farm.url).password}@`);
  });

  it('fails when the app is not ready in time, saying what it last answered, and stops it', async () => {
    const error = await startApps({ command: app.command, cwd: app.dir, ready: '/ready', timeoutMs: 5000, env: { READY_AFTER: '1000000', CHILD: '1' } }, { databaseUrl: farm.url }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AQUASEED_APP_START' });
    expect((error as Error).message).toMatch(/was not ready within 5000 ms \(waited for GET \/ready answering below 500 on http:\/\/localhost:\d+; last: GET \/ready answered 503\) and was stopped; its last output:\nchild (\d+)\nlistening on \d+$/);
    const child = Number(/child (\d+)/.exec((error as Error).message)![1]);
    expect(isRunning(child)).toBe(false);
  });

  it('a second app that fails stops the first', async () => {
    const error = await startApps(
      [
        { command: `${app.command}`, cwd: app.dir, name: 'api', env: { CHILD: '1' } },
        { command: 'exit 7', name: 'web' },
      ],
      { databaseUrl: farm.url },
    ).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^app "web" \(2 of 2\) 'exit 7' \(PORT=\d+, .*\) exited with code 7 before it was ready .*; it printed nothing$/);
    // The API (and its child) were stopped: nothing running in the app's directory is left.
    expect(processesIn(app.dir)).toEqual([]);
  });
});

/** Live processes whose working directory is `dir`. */
function processesIn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`) === realpathSync(dir) && isRunning(Number(pid));
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('a running app', () => {
  it('stop() ends its whole process group, children too', async () => {
    const group = await start({ command: app.command, cwd: app.dir, env: { CHILD: '1' } });
    const [only] = group.apps;
    const child = Number(/child (\d+)/.exec(group.logs())![1]);
    expect(only!.processes().length).toBeGreaterThanOrEqual(2);
    expect(only!.processes()).toContain(child);
    await group.stop();
    expect(groupMembers(only!.pid)).toEqual([]);
    expect(isRunning(child)).toBe(false);
    expect(only!.state).toBe('stopped');
    expect(group.failure()).toBeNull();
    await expect(only!.exited).resolves.toMatchObject({ stopped: true });
  });

  it('stop() sends SIGKILL after the grace period to an app that ignores SIGTERM', async () => {
    const group = await start({ command: `exec ${app.command}`, cwd: app.dir, env: { IGNORE_TERM: '1' }, stopGraceMs: 300 });
    const [only] = group.apps;
    await group.stop();
    expect(groupMembers(only!.pid)).toEqual([]);
    await expect(only!.exited).resolves.toMatchObject({ signal: 'SIGKILL', stopped: true });
    expect(group.logs()).toContain('ignoring SIGTERM');
  });

  it('an app killed mid-run is noticed: exited, and a failure with its last output', async () => {
    const group = await start({ command: app.command, cwd: app.dir, env: { CHILD: '1' } });
    const [only] = group.apps;
    expect(only!.state).toBe('running');
    expect(group.failure()).toBeNull();
    const failure = group.firstFailure;
    process.kill(-only!.pid, 'SIGKILL'); // from outside: the OOM killer, a crash
    await expect(only!.exited).resolves.toMatchObject({ signal: 'SIGKILL', stopped: false });
    expect(only!.state).toBe('exited');
    const error = group.failure();
    expect(error).toMatchObject({ code: 'AQUASEED_APP_EXITED' });
    expect(error!.message).toMatch(/^app '.*server\.mjs' \(on http:\/\/localhost:\d+\) was killed by SIGKILL while the tests ran; its last output:\nchild \d+\nlistening on \d+$/);
    await expect(failure).resolves.toMatchObject({ code: 'AQUASEED_APP_EXITED' });
    expect(groupMembers(only!.pid)).toEqual([]);
  });
});

describe('no app outlives its owner', () => {
  /** Starts test/support/app-owner.ts; resolves with the owner and the app's group once it is ready. */
  function owner(then: 'wait' | 'exit'): Promise<{ owner: ReturnType<typeof spawn>; pid: number; url: string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', join(packageRoot(), 'test', 'support', 'app-owner.ts'), app.dir, app.command, then], {
      cwd: packageRoot(),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve({ owner: child, ...(JSON.parse(line) as { pid: number; url: string }) });
      });
      child.on('exit', (code) => (out.includes('{') ? undefined : reject(new Error(`owner exited with ${code} before its app was ready: ${out}`))));
    });
  }

  it('an owner that exits without stopping its app takes the app group with it', async () => {
    // The owner prints the app's group once the app answered, then exits at once.
    const { owner: child, pid } = await owner('exit');
    if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    await vi.waitFor(() => expect(groupMembers(pid), 'the app group after its owner exited').toEqual([]), { timeout: 15_000, interval: 50 });
  });

  it('an owner killed with SIGKILL (no handler runs) still takes the app group with it, through the watchdog', async () => {
    const { owner: child, pid, url } = await owner('wait');
    expect(await get(url)).toBe('ok');
    child.kill('SIGKILL');
    await vi.waitFor(() => expect(groupMembers(pid), 'the app group after its owner was killed').toEqual([]), { timeout: 15_000, interval: 50 });
  });
});

describe('the app clock', () => {
  const library = findLibfaketime();

  it("clock: 'asOf' starts the app's clock at the farm's instant (libfaketime)", async (context) => {
    if (!library) context.skip('libfaketime is not installed here (Debian package faketime)');
    const asOf = new Date('2025-11-21T06:00:00Z');
    const group = await start({ command: app.command, cwd: app.dir, clock: 'asOf' }, asOf);
    const now = new Date(await get(`${group.url}/now`));
    // Its clock started at asOf and ticks on from there.
    expect(now.getTime()).toBeGreaterThanOrEqual(asOf.getTime());
    expect(now.getTime()).toBeLessThan(asOf.getTime() + 10 * 60_000);
    // An ISO instant works the same, and the test process's own clock stays real.
    const other = await start({ command: app.command, cwd: app.dir, clock: '2024-02-29T12:00:00Z' });
    expect((await get(`${other.url}/now`)).slice(0, 13)).toBe('2024-02-29T12');
    expect(new Date().getFullYear()).toBeGreaterThan(2025);
    await group.stop();
    await other.stop();
  });

  it('fails naming the package when libfaketime is not where AQUASEED_LIBFAKETIME says', async () => {
    const error = await startApps({ command: app.command, cwd: app.dir, clock: 'asOf', env: { AQUASEED_LIBFAKETIME: '/nonexistent/libfaketime.so.1' } }, { databaseUrl: farm.url, asOf: new Date() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AQUASEED_FAKETIME_MISSING', message: expect.stringContaining('AQUASEED_LIBFAKETIME=/nonexistent/libfaketime.so.1 is not a file'), fix: expect.stringContaining('apt-get install faketime') });
  });
});

describe('the app option', () => {
  it('is checked before anything starts, naming the entry and the field', () => {
    expect(() => checkAppOption({ command: '' })).toThrow(/^app\.command must be a shell command, got ""$/);
    expect(() => checkAppOption([{ command: 'x' }, { command: 'y', ready: 'health' }], 'use.app')).toThrow(/^use\.app\[1\]\.ready must be a path starting with '\/' or a RegExp, got "health"$/);
    expect(() => checkAppOption({ command: 'x', env: { PORT: '3000' } })).toThrow(/app\.env\.PORT is chosen by aquaseed/);
    expect(() => checkAppOption({ command: 'x', port: 3000 })).toThrow(/app has unknown field "port"/);
    expect(() => checkAppOption([{ command: 'x', name: 'api' }, { command: 'y', name: 'api' }])).toThrow(/names two apps "api"/);
    expect(() => checkAppOption({ command: 'x', clock: 'yesterday' })).toThrow(/app\.clock must be 'asOf' or an ISO instant/);
    expect(() => checkAppOption({ command: 'x', timeoutMs: 0 })).toThrow(/app\.timeoutMs must be a whole number of milliseconds above 0, got 0/);
    expect(checkAppOption({ command: 'x' })).toEqual([{ index: 0, name: 'app0', command: 'x', env: {}, ready: '/', timeoutMs: 60_000, stopGraceMs: 5000 }]);
  });
});
