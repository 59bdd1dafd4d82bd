/**
 * When an app is ready: a path that answers with a status below 500 (a redirect to a login page
 * counts: the server is up), or a line of its output that matches a RegExp. Waiting ends early
 * when the app exits; the caller bounds it with the app's timeout.
 */
import { request } from 'node:http';
import type { GroupExit } from '../../host/process-group.js';
import type { OutputRing } from '../../host/output-ring.js';

export type ReadyOutcome = { ready: true } | { ready: false; exit: GroupExit } | { ready: false; timedOut: true; lastProbe?: string };

export interface WaitReadyOptions {
  port: number;
  ready: string | RegExp;
  output: OutputRing;
  exited: Promise<GroupExit>;
  timeoutMs: number;
}

export async function waitUntilReady(options: WaitReadyOptions): Promise<ReadyOutcome> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let lastProbe: string | undefined;
  const timedOut = new Promise<ReadyOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ ready: false, timedOut: true, ...(lastProbe ? { lastProbe } : {}) }), options.timeoutMs);
  });
  const exited = options.exited.then((exit): ReadyOutcome => ({ ready: false, exit }));
  const ready =
    options.ready instanceof RegExp
      ? waitForOutput(options.output, options.ready, controller.signal)
      : pollPath(options.port, options.ready, controller.signal, (what) => {
          lastProbe = what;
        });
  try {
    return await Promise.race([ready.then((): ReadyOutcome => ({ ready: true })), exited, timedOut]);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/** Resolves when a line printed so far or from now on matches `pattern`. */
export function waitForOutput(output: OutputRing, pattern: RegExp, signal: AbortSignal): Promise<void> {
  const test = (text: string): boolean => {
    pattern.lastIndex = 0; // a /g or /y pattern keeps state between tests
    return pattern.test(text);
  };
  return new Promise<void>((resolve) => {
    if (output.lines().some((line) => test(line.text))) return resolve();
    const stop = output.onLine((line) => {
      if (!test(line.text)) return;
      stop();
      resolve();
    });
    signal.addEventListener('abort', () => stop(), { once: true });
  });
}

/**
 * Polls `path` on the loopback addresses until one answers below 500. Both 127.0.0.1 and ::1 are
 * tried: the app's URL says `localhost`, and servers bind either (Vite binds ::1 where localhost
 * resolves to it first). The Host header is `localhost:<port>`, as the browser will send it.
 */
export async function pollPath(port: number, path: string, signal: AbortSignal, onProbe: (what: string) => void = () => {}): Promise<void> {
  let pause = 25;
  while (!signal.aborted) {
    const answers: (number | string)[] = [];
    for (const host of ['127.0.0.1', '::1']) {
      const status = await probe(host, port, path, signal);
      if (typeof status === 'number' && status < 500) return;
      answers.push(status);
    }
    // An HTTP answer says more than the other address refusing the connection.
    const status = answers.find((answer) => typeof answer === 'number') ?? answers[0];
    onProbe(typeof status === 'number' ? `GET ${path} answered ${status}` : `GET ${path}: ${status}`);
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 250);
  }
}

/** The status of GET `path`, or why there was none. */
function probe(host: string, port: number, path: string, signal: AbortSignal): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request({ host, port, path, method: 'GET', headers: { host: `localhost:${port}`, accept: 'text/html,*/*' }, timeout: 5000, signal }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}
