/**
 * A small Node HTTP server written to a temp dir, as the app under test in the app-process tests.
 * It listens on $PORT and is steered by variables:
 *   READY_AFTER=n   GET /ready answers 503 n times before 200;
 *   EXIT_EARLY=msg  prints msg on stderr and exits with code 3 before listening;
 *   CHILD=1         starts a `sleep` child (a member of its group that must be stopped too);
 *   IGNORE_TERM=1   ignores SIGTERM (stop() must escalate to SIGKILL);
 *   PG_MODULE=path  GET /db answers current_database() through node-postgres, which reads PG*.
 * GET /env answers its database and app variables; /now its clock; /upstream GETs $UPSTREAM_URL/env.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SERVER = `
import http from 'node:http';
import { spawn } from 'node:child_process';
const port = Number(process.env.PORT);
if (process.env.EXIT_EARLY) {
  console.log('starting');
  console.error(process.env.EXIT_EARLY);
  process.exit(3);
}
if (process.env.IGNORE_TERM) process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
if (process.env.CHILD) {
  const child = spawn('sleep', ['600'], { stdio: 'ignore' });
  console.log('child ' + child.pid);
}
let readyProbes = 0;
const VARS = ['DATABASE_URL', 'PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE', 'PGSSLMODE', 'PORT', 'APP_URL_0', 'APP_URL_API', 'UPSTREAM_URL', 'EXTRA'];
const server = http.createServer(async (req, res) => {
  try {
    if (req.url === '/ready') {
      readyProbes++;
      res.statusCode = readyProbes > Number(process.env.READY_AFTER ?? 0) ? 200 : 503;
      return res.end(String(readyProbes));
    }
    if (req.url === '/probes') return res.end(String(readyProbes));
    if (req.url === '/env') return res.end(JSON.stringify(Object.fromEntries(VARS.map((name) => [name, process.env[name] ?? null]))));
    if (req.url === '/now') return res.end(new Date().toISOString());
    if (req.url === '/upstream') return res.end(await (await fetch(process.env.UPSTREAM_URL + '/env')).text());
    if (req.url === '/db') {
      const pg = (await import(process.env.PG_MODULE)).default;
      const client = new pg.Client();
      await client.connect();
      const { rows } = await client.query('SELECT current_database() AS db, current_user AS who');
      await client.end();
      return res.end(JSON.stringify(rows[0]));
    }
    res.end('ok');
  } catch (error) {
    res.statusCode = 500;
    res.end(String(error));
  }
});
server.listen(port, '127.0.0.1', () => console.log('listening on ' + port));
`;

export interface TestApp {
  dir: string;
  /** The command that starts it. */
  command: string;
  remove(): Promise<void>;
}

export async function writeTestApp(): Promise<TestApp> {
  const dir = await mkdtemp(join(tmpdir(), 'aquaseed-test-app-'));
  await writeFile(join(dir, 'server.mjs'), SERVER);
  return {
    dir,
    command: `${JSON.stringify(process.execPath)} server.mjs`,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
