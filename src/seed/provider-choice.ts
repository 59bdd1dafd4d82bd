/**
 * Which server a request seeds (design.md §5): an explicit URL always; else the provider asked
 * for; `auto` probes for a container runtime; the default is a URL from DATABASE_URL if set,
 * else the embedded server.
 */
import { AquaseedError } from '../core/errors.js';
import { probeContainerRuntime } from '../provision/container-runtime.js';
import type { PostgresProvider } from '../provision/server.js';
import type { SeedRequest } from './request.js';

/** The URL to seed, if any: an explicit one always; DATABASE_URL unless a server provider was chosen. */
export function targetUrl(request: SeedRequest): string | undefined {
  if (request.databaseUrl) return request.databaseUrl;
  return request.provider === 'embedded' || request.provider === 'testcontainers' ? undefined : process.env.DATABASE_URL || undefined;
}

/** `auto`: a URL if any, else a reachable container runtime, else embedded (design.md §5). */
export async function chooseProvider(request: SeedRequest): Promise<PostgresProvider> {
  if (targetUrl(request)) return 'external';
  switch (request.provider) {
    case 'external':
      throw new AquaseedError(
        'AQUASEED_INVALID_OPTION',
        "provider 'external' needs a database URL, and neither databaseUrl nor DATABASE_URL is set",
        'pass databaseUrl (--database-url) or set DATABASE_URL, or drop the provider option to use the embedded server',
      );
    case 'testcontainers':
      return 'testcontainers';
    case 'auto': {
      if (!(await probeContainerRuntime()).available) return 'embedded';
      const installed = await import('@testcontainers/postgresql').then(
        () => true,
        () => false, // the optional peer is not installed: auto falls back to embedded
      );
      return installed ? 'testcontainers' : 'embedded';
    }
    case undefined:
    case 'embedded':
      return 'embedded';
    default:
      throw new AquaseedError(
        'AQUASEED_INVALID_OPTION',
        `provider ${JSON.stringify(request.provider)} is not one of embedded, external, testcontainers, auto`,
        "pass provider: 'embedded' (the default), 'external', 'testcontainers' or 'auto'",
      );
  }
}
