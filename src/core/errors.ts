/**
 * Every failure a user can act on is an AquaseedError with a stable `code`, a message naming the
 * field and the value, and a `fix`. The CLI prints `message` and `fix` on one line each, without a
 * stack trace (unless --debug). The original error is kept as `cause`.
 */
export type AquaseedErrorCode =
  | 'AQUASEED_UNKNOWN_PRESET'
  | 'AQUASEED_INVALID_OPTION'
  | 'AQUASEED_INVALID_SCHEDULE'
  | 'AQUASEED_DATABASE_UNREACHABLE'
  | 'AQUASEED_DATABASE_AUTH'
  | 'AQUASEED_DATABASE_MISSING'
  | 'AQUASEED_FOREIGN_DATABASE'
  | 'AQUASEED_DATABASE_BUSY'
  | 'AQUASEED_EMBEDDED_UNAVAILABLE'
  | 'AQUASEED_EMBEDDED_START'
  | 'AQUASEED_CONTAINER_RUNTIME_UNAVAILABLE'
  | 'AQUASEED_TESTCONTAINERS_MISSING'
  | 'AQUASEED_CONTAINER_START'
  | 'AQUASEED_DISK_FULL'
  | 'AQUASEED_SERVER_VERSION'
  | 'AQUASEED_NOT_AQUAMIND'
  | 'AQUASEED_SCHEMA_MISMATCH'
  | 'AQUASEED_LOAD_FAILED'
  | 'AQUASEED_INTERRUPTED'
  | 'AQUASEED_NOT_SEEDED'
  | 'AQUASEED_NOT_TRACKED'
  | 'AQUASEED_RESET_UNSUPPORTED'
  | 'AQUASEED_RESET_IMPOSSIBLE'
  | 'AQUASEED_MIGRATE_FAILED'
  | 'AQUASEED_APP_START'
  | 'AQUASEED_APP_EXITED'
  | 'AQUASEED_FAKETIME_MISSING';

export class AquaseedError extends Error {
  override readonly name = 'AquaseedError';
  readonly code: AquaseedErrorCode;
  readonly fix: string;

  constructor(code: AquaseedErrorCode, message: string, fix: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.fix = fix;
  }
}

export function isAquaseedError(error: unknown): error is AquaseedError {
  return error instanceof AquaseedError;
}
