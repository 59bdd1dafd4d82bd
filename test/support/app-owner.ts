/**
 * An owner process for the app-process tests: starts the test app (argv: its directory and
 * command), prints `{"pid":…,"url":…}` once it is ready, then either waits to be killed
 * (`wait`) or exits at once without stopping it (`exit`).
 * Run with `node --import tsx test/support/app-owner.ts <dir> <command> <wait|exit>`.
 */
import { startApps } from '../../src/isolation/app/apps.js';

const [dir, command, then] = process.argv.slice(2);
const apps = await startApps({ command: command!, cwd: dir!, env: { CHILD: '1' } }, { databaseUrl: 'postgres://nobody@127.0.0.1:1/none' });
process.stdout.write(`${JSON.stringify({ pid: apps.apps[0]!.pid, url: apps.url })}\n`);
if (then === 'exit') process.exit(0);
setInterval(() => {}, 60_000);
