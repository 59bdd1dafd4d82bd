import { appendFile } from 'node:fs/promises';
import type { App } from 'aquaseed/playwright';

/** Records the app's pid (its process group) for the outer test, which checks that none is left. */
export async function recordPid(app: App, what: string): Promise<void> {
  if (process.env.APP_PIDS_FILE) await appendFile(process.env.APP_PIDS_FILE, `${what} ${app.pid}\n`);
}
