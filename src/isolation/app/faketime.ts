/**
 * An app's clock set to the farm's date, with libfaketime: its library, preloaded, answers the
 * app's clock calls (time, gettimeofday, clock_gettime) from a start instant that then ticks on.
 * Only the app's process tree sees it; the database's now() stays real.
 *
 * The start instant is given as seconds since the epoch (FAKETIME_FMT=%s), so it means the same
 * instant whatever the app's TZ. The monotonic clock is left real (DONT_FAKE_MONOTONIC=1):
 * event loops (Node's, Python's asyncio) time their timers with it.
 */
import { existsSync } from 'node:fs';
import { AquaseedError } from '../../core/errors.js';

/** Overrides where the library is looked for (a path to libfaketime.so.1). */
export const LIBFAKETIME_ENV = 'AQUASEED_LIBFAKETIME';

/** Debian's multiarch triplets by Node's arch name. */
const TRIPLETS: Record<string, string> = {
  x64: 'x86_64-linux-gnu',
  arm64: 'aarch64-linux-gnu',
  arm: 'arm-linux-gnueabihf',
  ia32: 'i386-linux-gnu',
  ppc64: 'powerpc64le-linux-gnu',
  s390x: 's390x-linux-gnu',
  riscv64: 'riscv64-linux-gnu',
};

/** Where distributions install the library (Debian and Ubuntu multiarch, Fedora, source builds). */
export function libfaketimeCandidates(arch: string = process.arch): string[] {
  const triplet = TRIPLETS[arch];
  return [
    ...(triplet ? [`/usr/lib/${triplet}/faketime/libfaketime.so.1`] : []),
    '/usr/lib64/faketime/libfaketime.so.1',
    '/usr/lib/faketime/libfaketime.so.1',
    '/usr/local/lib/faketime/libfaketime.so.1',
  ];
}

/** The library's path, or null when it is not installed. */
export function findLibfaketime(env: NodeJS.ProcessEnv = process.env): string | null {
  const override = env[LIBFAKETIME_ENV];
  if (override) return existsSync(override) ? override : null;
  return libfaketimeCandidates().find((path) => existsSync(path)) ?? null;
}

/**
 * The variables that start a process's clock at `instant`; `env` is the environment the process
 * will get (an LD_PRELOAD already in it is kept). Fails naming the package when the library is missing.
 */
export function faketimeEnv(instant: Date, env: Record<string, string>, where = 'app.clock'): Record<string, string> {
  if (process.platform !== 'linux') {
    throw new AquaseedError(
      'AQUASEED_FAKETIME_MISSING',
      `${where} fakes the app's clock with libfaketime's LD_PRELOAD, which aquaseed supports on Linux only (this is ${process.platform})`,
      'run the suite on Linux (CI, a container), or leave clock out and date the farm today (asOf: today)',
    );
  }
  const library = findLibfaketime({ ...process.env, ...env });
  if (!library) {
    const override = env[LIBFAKETIME_ENV] ?? process.env[LIBFAKETIME_ENV];
    throw new AquaseedError(
      'AQUASEED_FAKETIME_MISSING',
      override
        ? `${where} needs libfaketime, and ${LIBFAKETIME_ENV}=${override} is not a file`
        : `${where} needs libfaketime, which is not installed (looked for ${libfaketimeCandidates().join(', ')})`,
      "install the package: Debian/Ubuntu `apt-get install faketime`, Fedora `dnf install libfaketime`; or set AQUASEED_LIBFAKETIME to the library's path; or leave clock out",
    );
  }
  const seconds = Math.floor(instant.getTime() / 1000);
  return {
    LD_PRELOAD: env.LD_PRELOAD ? `${library} ${env.LD_PRELOAD}` : library,
    FAKETIME: `@${seconds}`,
    FAKETIME_FMT: '%s',
    DONT_FAKE_MONOTONIC: '1',
  };
}
