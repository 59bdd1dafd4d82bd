/**
 * Running a command: what killed processes left in the cache swept first (one line if anything
 * was), SIGINT, SIGTERM and SIGHUP wired to an AbortSignal, every failure (a command line that
 * does not parse included) reported once with its code (src/cli/errors.ts) and exit code 1.
 *
 * A signal stops the work in order: the command's own unwinding stops the workers, closes the
 * connections, removes half-written cache entries and stops the servers aquaseed started. Then
 * `aquaseed: interrupted (SIGINT): …` says what was left as it was, and the exit code is 128 + the
 * signal's number (130, 143, 129), as a shell reports a process a signal ended. A command whose
 * work was done when the signal came (`up` serving, say) ends normally instead. A second signal,
 * a second or more after the first, exits at once (the exit handlers and watchdogs still stop the
 * servers).
 */
import { constants } from 'node:os';
import { CommanderError, type Command } from 'commander';
import { defaultCacheDir } from '../host/cache-dir.js';
import { sweepAndSay, type SweepOptions } from '../provision/sweep.js';
import { interruptedReport, reportError } from './errors.js';

/** The flags every command's failure report (and its sweep) reads. */
export interface ReportFlags {
  debug?: boolean;
  json?: boolean;
  quiet?: boolean;
  cacheDir?: string;
}


/** The signals that interrupt a command. */
export const INTERRUPTS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type Interrupt = (typeof INTERRUPTS)[number];

/** The exit code of a command a signal interrupted: 128 + its number. */
export function interruptedExitCode(signal: Interrupt): number {
  return 128 + constants.signals[signal];
}

/** Runs a command with its sweep first and the interrupting signals wired to an AbortSignal. */
export async function run(flags: ReportFlags, body: (signal: AbortSignal) => Promise<void>, sweepOptions: SweepOptions = {}): Promise<void> {
  const controller = new AbortController();
  let caught: Interrupt | null = null;
  let caughtAt = 0;
  const onSignal = (signal: Interrupt): void => {
    if (caught) {
      // The same signal delivered twice at once (to the process and to its group) is one.
      if (performance.now() - caughtAt > 1000) process.exit(interruptedExitCode(caught));
      return;
    }
    caught = signal;
    caughtAt = performance.now();
    controller.abort(signal);
  };
  for (const signal of INTERRUPTS) process.on(signal, onSignal);
  let code: number | undefined;
  try {
    await sweep(flags, sweepOptions);
    await body(controller.signal);
  } catch (error) {
    code = caught ? interruptedReport(error, caught, flags, interruptedExitCode(caught)) : reportError(error, flags);
  } finally {
    for (const signal of INTERRUPTS) process.off(signal, onSignal);
  }
  if (code === undefined) return;
  process.exitCode = code;
  // Everything was stopped on the way out; a handle some library still holds must not keep an
  // interrupted command running.
  if (caught) setTimeout(() => process.exit(code), 2000).unref();
}

/** Removes what killed aquaseed processes left in the cache directory, saying so in one line. */
function sweep(flags: ReportFlags, options: SweepOptions): Promise<void> {
  return sweepAndSay(
    flags.cacheDir ?? defaultCacheDir(),
    (line) => {
      if (!flags.quiet) process.stderr.write(`aquaseed: ${line}\n`);
    },
    options,
  );
}

/**
 * Output whose reader is gone goes nowhere, and the command still finishes (a seed still stops its
 * server): a reader that stopped early (`aquaseed warm --help | head -1`), a closed terminal (SIGHUP).
 */
function quietBrokenOutput(): void {
  process.stdout.on('error', () => {});
  process.stderr.on('error', () => {});
}

/**
 * Parses and runs the command line. Commander's own messages are silenced: a command line it
 * refuses is reported like any other failure; help and --version exit 0 as usual.
 */
export async function runCommandLine(program: Command, argv: readonly string[]): Promise<void> {
  quietBrokenOutput();
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
