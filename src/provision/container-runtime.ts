/**
 * Is a container runtime (Docker, Podman, Colima, …) reachable for testcontainers? Answered cheaply
 * and without hanging: first the places testcontainers would look (environment, config file,
 * sockets) are checked on disk, and only if one exists is the runtime asked, under a time limit.
 * testcontainers' own probe can wait a long time on a dead TCP DOCKER_HOST, and a missing runtime
 * must not cost `auto` more than a few milliseconds before it falls back to embedded.
 */
import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type * as Testcontainers from 'testcontainers';
import { AquaseedError } from '../core/errors.js';

export type RuntimeProbe =
  | { available: true; description: string }
  | { available: false; reason: string; packageMissing?: boolean };

/** How long the runtime may take to answer `info` before we call it unreachable. */
const PROBE_TIMEOUT_MS = 5_000;

let probed: Promise<RuntimeProbe> | undefined;

/** The probe's answer, computed once per process (a runtime rarely comes or goes mid-run). */
export function probeContainerRuntime(): Promise<RuntimeProbe> {
  probed ??= probe();
  return probed;
}

/** Where testcontainers would find a runtime, if anywhere (no network, no import). */
export function runtimeCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const found: string[] = [];
  for (const name of ['TESTCONTAINERS_HOST_OVERRIDE', 'TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE', 'DOCKER_HOST']) {
    if (env[name]) found.push(`${name}=${env[name]}`);
  }
  const sockets = [
    '/var/run/docker.sock',
    env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'docker.sock') : '',
    join(homedir(), '.docker', 'run', 'docker.sock'),
    join(homedir(), '.docker', 'desktop', 'docker.sock'),
    join('/run', 'user', String(safeUid()), 'docker.sock'),
    join(homedir(), '.testcontainers.properties'),
  ];
  for (const path of sockets) if (path && existsSync(path)) found.push(path);
  if (process.platform === 'win32') found.push('npipe (Windows)');
  return found;
}

async function probe(): Promise<RuntimeProbe> {
  const candidates = runtimeCandidates();
  if (candidates.length === 0) {
    return {
      available: false,
      reason: 'no container runtime found (no DOCKER_HOST, no /var/run/docker.sock or rootless Docker socket)',
    };
  }
  let testcontainers: typeof Testcontainers;
  try {
    testcontainers = await import('testcontainers');
  } catch {
    return { available: false, reason: 'the testcontainers package is not installed', packageMissing: true };
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS / 1000} s`)), PROBE_TIMEOUT_MS);
    timer.unref();
  });
  try {
    const client = await Promise.race([testcontainers.getContainerRuntimeClient(), timeout]);
    const info = client.info.containerRuntime;
    return { available: true, description: `${info.operatingSystem} ${info.serverVersion} at ${info.host}` };
  } catch (error) {
    return { available: false, reason: `no container runtime answered at ${candidates.join(', ')} (${(error as Error).message})` };
  } finally {
    clearTimeout(timer);
  }
}

function safeUid(): number {
  try {
    return userInfo().uid;
  } catch {
    return -1;
  }
}

export function runtimeUnavailable(reason: string, cause?: unknown): AquaseedError {
  return new AquaseedError(
    'AQUASEED_CONTAINER_RUNTIME_UNAVAILABLE',
    `provider "testcontainers" needs a container runtime, and ${reason}`,
    'drop the provider option, or set it to \'embedded\' (--provider embedded), to run the embedded PostgreSQL, which needs no Docker; or start Docker / set DOCKER_HOST',
    cause === undefined ? undefined : { cause },
  );
}
