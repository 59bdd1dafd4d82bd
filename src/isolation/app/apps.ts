/**
 * The app under test as one process or several started in order, such as an API and a web server
 * that proxies to it. Each gets its own PORT, and the URLs of the apps started before it:
 *
 *   APP_URL_<i>      the URL of app i (APP_URL_0 for the first), for every app before it;
 *   APP_URL_<NAME>   the same by name (name uppercased, '-' as '_'): APP_URL_API;
 *   UPSTREAM_URL     the URL of the app just before it (what a proxy in front forwards to).
 *
 * The group's `url` is the last app's: the one in front, that the browser talks to. If one fails
 * to start, those already started are stopped; stop() stops them all, the last first.
 */
import type { AquaseedError } from '../../core/errors.js';
import { startApp, type AppContext, type AppProcess } from './process.js';
import { checkAppOption, type AppOption } from './spec.js';

export class AppGroup {
  constructor(readonly apps: readonly AppProcess[]) {}

  /** The front app's URL (the last started). */
  get url(): string {
    return this.front.url;
  }

  get port(): number {
    return this.front.port;
  }

  /** The app called `name`. */
  app(name: string): AppProcess {
    const found = this.apps.find((app) => app.name === name);
    if (!found) throw new Error(`no app named ${JSON.stringify(name)}; the apps are ${this.apps.map((app) => app.name).join(', ')}`);
    return found;
  }

  /** Every app's last `lines` lines, each under a `── <name> (<url>) ──` heading. */
  logs(lines?: number): string {
    if (this.apps.length === 1) return this.front.logs(lines);
    return this.apps.map((app) => `── ${app.name} (${app.url}) ──\n${app.logs(lines)}`).join('\n');
  }

  /** The first app that exited on its own, as an error with its last output; null while all run. */
  failure(): AquaseedError | null {
    for (const app of this.apps) {
      const failure = app.failure();
      if (failure) return failure;
    }
    return null;
  }

  /** Resolves with the first app's exit that nobody asked for (never, while they all run). */
  get firstFailure(): Promise<AquaseedError> {
    return Promise.race(
      this.apps.map((app) =>
        app.exited.then((exit) => (exit.stopped ? new Promise<never>(() => {}) : (app.failure() as AquaseedError))),
      ),
    );
  }

  async stop(): Promise<void> {
    for (const app of [...this.apps].reverse()) await app.stop();
  }

  private get front(): AppProcess {
    return this.apps[this.apps.length - 1]!;
  }
}

/** Starts the apps of `option` (checked here) in order; see the module comment for their env. */
export async function startApps(option: AppOption, context: AppContext, where = 'app'): Promise<AppGroup> {
  const specs = checkAppOption(option, where);
  const started: AppProcess[] = [];
  try {
    for (const spec of specs) {
      const urls: Record<string, string> = {};
      started.forEach((app, i) => {
        urls[`APP_URL_${i}`] = app.url;
        urls[`APP_URL_${envName(app.name)}`] = app.url;
      });
      if (started.length > 0) urls.UPSTREAM_URL = started[started.length - 1]!.url;
      const label = specs.length === 1 ? 'app' : `app ${JSON.stringify(spec.name)} (${spec.index + 1} of ${specs.length})`;
      // A port given is the group's URL: the front app's.
      const { port, ...rest } = context;
      const front = spec.index === specs.length - 1 && port !== undefined ? { port } : {};
      const keep = context.keep ? { keep: { logFile: specs.length === 1 ? context.keep.logFile : `${context.keep.logFile.replace(/\.log$/, '')}.${spec.name}.log` } } : {};
      started.push(await startApp(spec, { ...rest, ...front, ...keep, env: { ...context.env, ...urls }, label }));
    }
  } catch (error) {
    for (const app of started.reverse()) await app.stop();
    throw error;
  }
  return new AppGroup(started);
}

function envName(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}
