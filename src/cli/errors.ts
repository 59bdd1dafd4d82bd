import { isAquaseedError } from '../core/errors.js';

/** One line for the problem, one for the fix; the stack only with --debug. Returns the exit code. */
export function reportError(error: unknown, debug: boolean): number {
  if (isAquaseedError(error)) {
    process.stderr.write(`aquaseed: ${error.message}\n  fix: ${error.fix}\n`);
    if (debug) process.stderr.write(`${formatCause(error)}\n`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`aquaseed: ${message}\n`);
  process.stderr.write(debug ? `${(error as Error).stack ?? ''}\n` : '  (run again with --debug for the stack trace)\n');
  return 1;
}

function formatCause(error: Error): string {
  const lines: string[] = [error.stack ?? ''];
  for (let cause = error.cause; cause; cause = (cause as Error).cause) {
    lines.push(`caused by: ${(cause as Error).stack ?? String(cause)}`);
  }
  return lines.join('\n');
}
