/**
 * The app under test beside a farm session (the `app` setting of both runners): one process, or a
 * list of them, on the session's database, started when the worker (Playwright) or file (Vitest)
 * starts, stopped with it, restarted when its database is replaced, and watched between tests:
 *
 * - an app that dies during a test fails that test with AQUASEED_APP_EXITED and its last output;
 *   one that dies between tests fails the next test the same way; either way the next test gets a
 *   new app;
 * - a failed test gets the tail of the app's output;
 * - a failed test whose database is kept (keepFailed) gets an app of its own on the kept
 *   database, left running after the run (`keep`), that `aquaseed cache prune` stops.
 */
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { AquaseedError } from '../core/errors.js';
import type { KeptApp } from '../cache/kept.js';
import { keptDir } from '../cache/kept.js';
import { defaultCacheDir } from '../host/cache-dir.js';
import { processStartTime } from '../host/process-group.js';
import type { Farm } from '../seed/farm.js';
import { startApps, type AppGroup } from './app/apps.js';
import { checkAppOption, type AppOption } from './app/spec.js';
import { farmInstant } from './clock.js';

/** What a test sees of the app under test: its URL, port, process and output. */
export interface App {
  /** The URL of the app the browser talks to (the last of a list): `http://localhost:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Its process group id (the shell's pid). */
  readonly pid: number;
  /** Every app of a list, in start order (one entry for a single app). */
  readonly apps: readonly { readonly name: string; readonly url: string; readonly port: number; readonly pid: number }[];
  /** Its last `lines` lines of output (default all kept), stderr lines marked `[stderr]`; every app's, headed, for a list. */
  logs(lines?: number): string;
}

/** Lines of output attached to a failed test. */
export const FAILURE_TAIL_LINES = 50;

/** How long a test's end waits for an app seen dying to finish (its last output read). */
const EXIT_WAIT_MS = 5000;

export class SessionApp {
  /** Set once the app's death was reported to a test: the next test gets a new app, not the same error. */
  private deathReported = false;
  readonly app: App;

  private constructor(
    private readonly option: AppOption,
    private group: AppGroup,
    private farm: Farm,
  ) {
    const self = this;
    this.app = {
      get url() {
        return self.group.url;
      },
      get port() {
        return self.group.port;
      },
      get pid() {
        return self.group.apps[self.group.apps.length - 1]!.pid;
      },
      get apps() {
        return self.group.apps.map((app) => ({ name: app.name, url: app.url, port: app.port, pid: app.pid }));
      },
      logs: (lines?: number) => self.group.logs(lines),
    };
  }

  /** Checks the option (failing before anything starts) and starts the app on `farm`'s database. */
  static async start(option: AppOption, farm: Farm, where = 'app'): Promise<SessionApp> {
    checkAppOption(option, where);
    return new SessionApp(option, await startApps(option, context(farm), where), farm);
  }

  /** The app that died since the last test (if it did) is started again; its death fails this test unless already reported. */
  async beforeTest(): Promise<void> {
    const failure = this.diedWith();
    if (!failure) return;
    await this.restart();
    if (!this.deathReported) throw failure;
    this.deathReported = false;
  }

  /**
   * After a test: the app's own exit during it (an error to fail the test with), and for a failed
   * test the tail of the app's output.
   */
  async afterTest(failed: boolean): Promise<{ error: AquaseedError | null; output: string | null }> {
    let error: AquaseedError | null = null;
    if (this.dying()) {
      // Its last lines are read once the exit is seen; bounded, the message then says what it has.
      await Promise.race([Promise.all(this.group.apps.map((app) => app.exited)), new Promise((resolve) => setTimeout(resolve, EXIT_WAIT_MS).unref())]);
      error = this.diedWith();
      if (error) this.deathReported = true;
    }
    const output = failed || error ? this.group.logs(FAILURE_TAIL_LINES) : null;
    return { error, output: output === '' ? null : output };
  }

  /** Stops the app and starts it again, on `farm` (a replaced database) or the same one. */
  async restart(farm: Farm = this.farm): Promise<void> {
    await this.group.stop();
    this.farm = farm;
    this.group = await startApps(this.option, context(farm));
  }

  /**
   * Starts another copy of the app on `databaseUrl` (a kept database) that outlives this process:
   * no watchdog, its output in the cache directory's kept/ beside the database's entry. `port` is
   * a URL promised before (a failure note written before the database is final).
   */
  keep(databaseUrl: string, database: string, port?: number): Promise<KeptApp> {
    return SessionApp.keepOn(this.option, this.farm, databaseUrl, database, port);
  }

  /** keep() for an app that has stopped already (its worker ended before its database was final). */
  static async keepOn(option: AppOption, farm: Farm, databaseUrl: string, database: string, port?: number): Promise<KeptApp> {
    const dir = keptDir(defaultCacheDir());
    await mkdir(dir, { recursive: true });
    const logFile = join(dir, `${database}.app.log`);
    const kept = await startApps(option, { ...context(farm), databaseUrl, keep: { logFile }, ...(port !== undefined ? { port } : {}) }, 'kept app');
    return {
      url: kept.url,
      groups: kept.apps.map((app) => ({ pid: app.pid, startTime: processStartTime(app.pid) ?? 0 })),
      command: kept.apps.map((app) => app.spec.command).join(' ; '),
      logFile,
    };
  }

  async stop(): Promise<void> {
    await this.group.stop();
  }

  /** The first app's own exit, once seen, as an error; null while all run. */
  private diedWith(): AquaseedError | null {
    return this.group.failure();
  }

  /** Whether an app's process is gone (exited, or a zombie not yet reaped) though nobody stopped it. */
  private dying(): boolean {
    return this.group.apps.some((app) => app.state === 'exited' || (app.state === 'running' && app.processes().length === 0));
  }
}

/** What the app is started with: the farm's database and the farm's now for `clock: 'asOf'`. */
function context(farm: Farm): { databaseUrl: string; asOf: Date } {
  return { databaseUrl: farm.url, asOf: farmInstant(farm.schedule) };
}
