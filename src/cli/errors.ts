/**
 * How the CLI reports a failure: `aquaseed [CODE]: message` and `  fix: …` on stderr (the stack
 * and causes only with --debug), and with --json one `{"error":{"code","message","fix"}}` object
 * on stdout. Every failure has a code: an AquaseedError its own, a command line commander cannot
 * parse AQUASEED_INVALID_OPTION, anything else AQUASEED_INTERNAL.
 */
import { CommanderError } from 'commander';
import { isAquaseedError, type AquaseedErrorCode } from '../core/errors.js';

/** Exit codes: 1 for an error, 2 for a `verify` that ran and found a check failing. */
export const EXIT_ERROR = 1;
export const EXIT_CHECK_FAILED = 2;

/** AQUASEED_INTERNAL: a failure aquaseed did not foresee (a bug, or an error it does not explain yet). */
export type CliErrorCode = AquaseedErrorCode | 'AQUASEED_INTERNAL';

export interface CliError {
  code: CliErrorCode;
  message: string;
  fix: string;
}

export interface ReportOptions {
  debug?: boolean;
  json?: boolean;
  /** The command the user ran (`seed`, `cache prune`), for the fix of a command line that does not parse. */
  command?: string;
}

/** Prints the failure (see the module comment) and returns the exit code. */
export function reportError(error: unknown, options: ReportOptions = {}): number {
  const described = describeError(error, options.command);
  process.stderr.write(`aquaseed [${described.code}]: ${described.message}\n  fix: ${described.fix}\n`);
  if (options.debug && error instanceof Error && !(error instanceof CommanderError)) process.stderr.write(`${formatCause(error)}\n`);
  if (options.json) process.stdout.write(`${JSON.stringify({ error: described })}\n`);
  return EXIT_ERROR;
}

/**
 * Reports a command a signal interrupted: `aquaseed: interrupted (SIGINT): <what was left as it
 * was>` (and with --json an AQUASEED_INTERRUPTED error object), never as a failure to report:
 * whatever the interrupted work threw on its way out was caused by the interrupt. Returns `code`.
 */
export function interruptedReport(error: unknown, signal: string, options: ReportOptions, code: number): number {
  const message = isAquaseedError(error) && error.code === 'AQUASEED_INTERRUPTED' ? error.message : 'stopped before it finished';
  process.stderr.write(`aquaseed: interrupted (${signal}): ${message}\n`);
  if (options.debug && error instanceof Error) process.stderr.write(`${formatCause(error)}\n`);
  if (options.json) process.stdout.write(`${JSON.stringify({ error: { code: 'AQUASEED_INTERRUPTED', message: `interrupted (${signal}): ${message}`, fix: 'run it again' } })}\n`);
  return code;
}

export function describeError(error: unknown, command?: string): CliError {
  if (isAquaseedError(error)) return { code: error.code, message: error.message, fix: error.fix };
  if (error instanceof CommanderError) {
    return {
      code: 'AQUASEED_INVALID_OPTION',
      // One line: commander puts its "(Did you mean …?)" on a line of its own.
      message: error.code === 'commander.help' ? 'no command given' : error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' '),
      fix: `run \`aquaseed ${command ? `${command} ` : ''}--help\` for the ${command ? 'options and arguments it takes' : 'commands and their options'}`,
    };
  }
  return {
    code: 'AQUASEED_INTERNAL',
    message: error instanceof Error ? error.message : String(error),
    fix: 'aquaseed did not expect this: run again with --debug and report it with that output',
  };
}

function formatCause(error: Error): string {
  const lines: string[] = [error.stack ?? ''];
  for (let cause = error.cause; cause; cause = (cause as Error).cause) {
    lines.push(`caused by: ${(cause as Error).stack ?? String(cause)}`);
  }
  return lines.join('\n');
}
