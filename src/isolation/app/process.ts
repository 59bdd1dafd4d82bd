/**
 * One app under test as a process: started through the shell in a process group of its own on a
 * free PORT with the database's DATABASE_URL and PG* variables, waited for until ready, its output
 * kept, watched for an exit nobody asked for, and stopped with its whole group.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { AquaseedError } from '../../core/errors.js';
import { environmentFor, redact } from '../../host/database-env.js';
import { OutputRing } from '../../host/output-ring.js';
import { ProcessGroup, type GroupExit } from '../../host/process-group.js';
import { freePort } from '../../provision/free-port.js';
import { faketimeEnv } from './faketime.js';
import { waitUntilReady, type ReadyOutcome } from './ready.js';
import type { CheckedAppSpec } from './spec.js';

export interface AppContext {
  /** The database the app works on: DATABASE_URL and PG* point at it. */
  databaseUrl: string;
  /** The instant `clock: 'asOf'` starts the app's clock at (the farm's asOf). */
  asOf?: Date;
  /** Variables from aquaseed over the inherited ones (the URLs of the apps started before). */
  env?: Record<string, string>;
  /** Lines of output kept (default 2000). */
  maxLogLines?: number;
  /** What the app is called in messages (default `app "<name>"`). */
  label?: string;
  /** The port to start on first (a URL already promised in a message); default a free one. */
  port?: number;
  /**
   * Leave the app running after this process ends (an app kept with a failed test's database):
   * no watchdog, no exit handler, its output appended to `logFile`.
   */
  keep?: { logFile: string };
}

export interface AppExit extends GroupExit {
  /** True when stop() ended it; false when it exited on its own (a crash, or killed from outside). */
  stopped: boolean;
}

export type AppState = 'running' | 'stopping' | 'stopped' | 'exited';

/** Tries with a new port when the app dies of a port another process took after we chose it. */
const PORT_ATTEMPTS = 3;
const PORT_TAKEN = /EADDRINUSE|address already in use|Address in use|port \d+ is (already )?in use/i;
/** Lines of output an error message shows. */
const TAIL_LINES = 30;

export class AppProcess {
  private stopRequested = false;
  private stoppedPromise: Promise<void> | undefined;
  private exitResult: AppExit | undefined;
  /** Resolves when the app's shell exits, stopped or not, once all its output has been read. */
  readonly exited: Promise<AppExit>;

  constructor(
    readonly spec: CheckedAppSpec,
    readonly port: number,
    private readonly group: ProcessGroup,
    private readonly output: OutputRing,
    private readonly label: string,
  ) {
    this.exited = group.exited.then(async () => {
      // Whatever it left behind goes too; then its last lines have been read.
      if (!this.stopRequested) await group.stop();
      const exit = await group.closed;
      this.exitResult = { ...exit, stopped: this.stopRequested };
      return this.exitResult;
    });
  }

  get name(): string {
    return this.spec.name;
  }

  /** The app's URL: http://localhost:<port>. */
  get url(): string {
    return appUrl(this.port);
  }

  /** The shell's pid, the id of the app's process group. */
  get pid(): number {
    return this.group.pid;
  }

  get state(): AppState {
    if (this.exitResult) return this.exitResult.stopped ? 'stopped' : 'exited';
    if (this.group.exit && !this.stopRequested) return 'exited';
    return this.stopRequested ? 'stopping' : 'running';
  }

  /** Its last `lines` lines of output (default all kept), stderr lines marked `[stderr]`. */
  logs(lines?: number): string {
    return this.output.text(lines);
  }

  /** Live processes of its group. */
  processes(): number[] {
    return this.group.members();
  }

  /**
   * The app's own exit as an error (AQUASEED_APP_EXITED, with its exit and last output), or null
   * while it runs or when it was stopped. Await `exited` first for the complete last output.
   */
  failure(): AquaseedError | null {
    const exit = this.exitResult ?? (this.group.exit && !this.stopRequested ? { ...this.group.exit, stopped: false } : undefined);
    if (!exit || exit.stopped) return null;
    return new AquaseedError(
      'AQUASEED_APP_EXITED',
      `${this.label} '${this.spec.command}' (on ${this.url}) ${describeExit(exit)} while the tests ran; ${lastOutput(this.output)}`,
      'look at its output above for why; a test that kills the app must expect it, and the worker starts a new one',
    );
  }

  /** SIGTERM to its group, SIGKILL after stopGraceMs; resolves when no process of it is left. */
  stop(): Promise<void> {
    this.stoppedPromise ??= (async () => {
      this.stopRequested = !this.group.exit;
      await this.group.stop();
      await this.exited;
    })();
    return this.stoppedPromise;
  }
}

/** The URL an app on `port` is reached at (by the browser, the ready probe, the apps after it). */
export function appUrl(port: number): string {
  return `http://localhost:${port}`;
}

/** Starts the app and waits until it is ready; fails with AQUASEED_APP_START (nothing left running). */
export async function startApp(spec: CheckedAppSpec, context: AppContext): Promise<AppProcess> {
  const label = context.label ?? `app ${JSON.stringify(spec.name)}`;
  const clockEnv = clockVariables(spec, context, label);
  for (let attempt = 1; ; attempt++) {
    const port = attempt === 1 && context.port !== undefined ? context.port : await freePort();
    const output = new OutputRing({ maxLines: context.maxLogLines ?? 2000 });
    const env = { ...environmentFor(context.databaseUrl), ...context.env, PORT: String(port), ...spec.env, ...clockEnv };
    const logFile = context.keep?.logFile;
    const group = ProcessGroup.start(spec.command, { cwd: spec.cwd, env, graceMs: spec.stopGraceMs, label, ...(logFile ? { logFile } : { output }) });
    // A kept app writes to its file: read it back for the ready RegExp and the messages.
    const stopTail = logFile ? tailFile(logFile, output) : () => {};
    const outcome = await waitUntilReady({ port, ready: spec.ready, output, exited: group.exited, timeoutMs: spec.timeoutMs }).finally(stopTail);
    if (outcome.ready) return new AppProcess(spec, port, group, output, label);
    await group.stop();
    const exit = await group.closed;
    if ('exit' in outcome && attempt < PORT_ATTEMPTS && PORT_TAKEN.test(output.text(TAIL_LINES))) continue;
    throw startError(spec, label, port, context, outcome, exit, output);
  }
}

/** Copies what is appended to `file` into `output` every 50 ms until the returned stop is called. */
function tailFile(file: string, output: OutputRing): () => void {
  let offset = 0;
  const read = (): void => {
    try {
      const fd = openSync(file, 'r');
      try {
        const buffer = Buffer.alloc(64 * 1024);
        for (let n = readSync(fd, buffer, 0, buffer.length, offset); n > 0; n = readSync(fd, buffer, 0, buffer.length, offset)) {
          offset += n;
          output.write('stdout', buffer.subarray(0, n).toString('utf8'));
        }
      } finally {
        closeSync(fd);
      }
    } catch {
      // not created yet
    }
  };
  const timer = setInterval(read, 50);
  return () => {
    clearInterval(timer);
    read();
    output.flush();
  };
}

function clockVariables(spec: CheckedAppSpec, context: AppContext, label: string): Record<string, string> {
  if (spec.clock === undefined) return {};
  const instant = spec.clock === 'asOf' ? context.asOf : spec.clock;
  if (!instant) {
    throw new AquaseedError('AQUASEED_INVALID_OPTION', `${label}: clock 'asOf' needs the farm's asOf, and none was given`, "start the app through the fixture of a seeded farm, or give clock an ISO instant such as '2025-11-21T06:00:00Z'");
  }
  return faketimeEnv(instant, { ...spec.env }, `${label} clock`);
}

function startError(spec: CheckedAppSpec, label: string, port: number, context: AppContext, outcome: ReadyOutcome, exit: GroupExit, output: OutputRing): AquaseedError {
  const waited = spec.ready instanceof RegExp ? `a line of output matching ${String(spec.ready)}` : `GET ${spec.ready} answering below 500 on ${appUrl(port)}`;
  let what: string;
  if ('exit' in outcome) {
    what = exit.error ? `could not be started: ${exit.error.message}` : `${describeExit(exit)} before it was ready (waited for ${waited})`;
  } else {
    what = `was not ready within ${spec.timeoutMs} ms (waited for ${waited}${'lastProbe' in outcome && outcome.lastProbe ? `; last: ${outcome.lastProbe}` : ''}) and was stopped`;
  }
  const where = `${spec.cwd ? `in ${spec.cwd}, ` : ''}PORT=${port}, DATABASE_URL=${redact(context.databaseUrl)}`;
  return new AquaseedError(
    'AQUASEED_APP_START',
    `${label} '${spec.command}' (${where}) ${what}; ${lastOutput(output)}`,
    spec.ready instanceof RegExp
      ? 'run the command by hand with the same variables: it must start, and print a line the ready RegExp matches; or give it more time (timeoutMs)'
      : 'run the command by hand with the same variables: it must listen on $PORT (on 127.0.0.1, ::1 or all interfaces) and answer the ready path; or give it more time (timeoutMs)',
  );
}

function describeExit(exit: GroupExit): string {
  if (exit.error) return `could not be run (${exit.error.message})`;
  return exit.code === null ? `was killed by ${exit.signal ?? 'a signal'}` : `exited with code ${exit.code}`;
}

function lastOutput(output: OutputRing): string {
  const tail = output.text(TAIL_LINES);
  return tail === '' ? 'it printed nothing' : `its last output:\n${tail}`;
}
