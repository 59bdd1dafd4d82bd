/**
 * Running a command: Ctrl-C wired to an AbortSignal, every failure (a command line that does not
 * parse included) reported once with its code (src/cli/errors.ts) and exit code 1.
 */
import { CommanderError, type Command } from 'commander';
import { reportError } from './errors.js';

/** The flags every command's failure report reads. */
export interface ReportFlags {
  debug?: boolean;
  json?: boolean;
}

export type Run = (flags: ReportFlags, body: (signal: AbortSignal) => Promise<void>) => Promise<void>;

/** Runs a command with Ctrl-C wired to an AbortSignal (a second Ctrl-C, a second later, exits at once). */
export async function run(flags: ReportFlags, body: (signal: AbortSignal) => Promise<void>): Promise<void> {
  const controller = new AbortController();
  let firstSignalAt = 0;
  const onSignal = (): void => {
    // A second Ctrl-C forces the exit; the same signal delivered twice at once (to the process and
    // to its group) does not.
    if (controller.signal.aborted) {
      if (performance.now() - firstSignalAt > 1000) process.exit(130);
      return;
    }
    firstSignalAt = performance.now();
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await body(controller.signal);
  } catch (error) {
    process.exitCode = reportError(error, flags);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * Parses and runs the command line. Commander's own messages are silenced: a command line it
 * refuses is reported like any other failure; help and --version exit 0 as usual.
 */
export async function runCommandLine(program: Command, argv: readonly string[]): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return;
    const args = argv.slice(2);
    process.exitCode = reportError(error, { debug: args.includes('--debug'), json: args.includes('--json'), command: commandPath(program, args) });
  }
}

/** Configures `program` (before its commands are added, which inherit it) for runCommandLine. */
export function quietCommander(program: Command): Command {
  return program.exitOverride().configureOutput({ outputError: () => {} });
}

/** The (sub)command the arguments name, e.g. `cache prune`; empty when they name none. */
function commandPath(program: Command, args: readonly string[]): string {
  const path: string[] = [];
  let command = program;
  for (const arg of args) {
    if (arg.startsWith('-')) continue;
    const next = command.commands.find((sub) => sub.name() === arg || sub.aliases().includes(arg));
    if (!next) break;
    path.push(next.name());
    command = next;
  }
  return path.join(' ');
}
