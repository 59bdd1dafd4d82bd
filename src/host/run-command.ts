/**
 * Runs an app's own command against a database, the way `migrate` and `migrate.setup` do: through
 * the shell, in `cwd`, with the database's DATABASE_URL and PG* variables, stdin closed (a
 * command that asks a question gets end of input instead of hanging), its output kept. A command
 * that fails, or outlives its time, is an AquaseedError naming it, its exit and its last output.
 */
import { AquaseedError } from '../core/errors.js';
import { environmentFor, redact } from './database-env.js';
import { OutputRing } from './output-ring.js';
import { ProcessGroup } from './process-group.js';

export interface RunCommandOptions {
  /** The database the command works on: its URL goes in DATABASE_URL and PG*. */
  databaseUrl: string;
  /** Directory to run in (default the current one). */
  cwd?: string;
  /** More variables, over the inherited and the database ones. */
  env?: Record<string, string>;
  /** What the command is, for messages (default 'migrate'; e.g. 'migrate.setup'). */
  role?: string;
  /** Milliseconds before the command is stopped and fails (default 10 minutes). */
  timeoutMs?: number;
  /** Lines of output a failure shows (default 40). */
  tailLines?: number;
}

export interface CommandResult {
  /** Its last output lines (stderr marked), as a failure would show them. */
  output: string;
  seconds: number;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 10 * 60_000;

export async function runCommand(command: string, options: RunCommandOptions): Promise<CommandResult> {
  const role = options.role ?? 'migrate';
  if (typeof command !== 'string' || command.trim() === '') {
    throw new AquaseedError('AQUASEED_INVALID_OPTION', `${role} command must be a shell command, got ${JSON.stringify(command)}`, `e.g. { command: 'python manage.py migrate --noinput' }`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const tailLines = options.tailLines ?? 40;
  const output = new OutputRing();
  const started = performance.now();
  const group = ProcessGroup.start(command, {
    cwd: options.cwd,
    env: { ...environmentFor(options.databaseUrl), ...options.env },
    output,
    label: `${role} command`,
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const outcome = await Promise.race([group.exited, timedOut]);
  clearTimeout(timer);
  // Whatever it left running goes with it; then every line it printed has been read.
  await group.stop();
  const exit = await group.closed;
  const where = `${options.cwd ? ` in ${options.cwd}` : ''} on ${redact(options.databaseUrl)}`;
  const tail = output.text(tailLines);
  const shown = tail === '' ? '(it printed nothing)' : `its last output:\n${tail}`;
  if (outcome === 'timeout') {
    throw new AquaseedError(
      'AQUASEED_MIGRATE_FAILED',
      `${role} command '${command}' did not finish within ${timeoutMs} ms${where} and was stopped; ${shown}`,
      'make it finish without asking anything (e.g. --noinput), or give it more time (timeoutMs)',
    );
  }
  if (exit.error) {
    throw new AquaseedError('AQUASEED_MIGRATE_FAILED', `${role} command '${command}' could not be started${where}: ${exit.error.message}`, 'check that /bin/sh exists and cwd is readable', { cause: exit.error });
  }
  if (exit.code !== 0) {
    const how = exit.code === null ? `was killed by ${exit.signal}` : `failed with exit code ${exit.code}`;
    throw new AquaseedError(
      'AQUASEED_MIGRATE_FAILED',
      `${role} command '${command}' ${how}${where}; ${shown}`,
      'run it by hand with the same DATABASE_URL (or PG* variables) in the same directory to see what it needs',
    );
  }
  return { output: tail, seconds: (performance.now() - started) / 1000 };
}
