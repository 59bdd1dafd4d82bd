/**
 * Which server a request seeds (design.md §5), in this order: an explicit URL (`server: { url }`,
 * `--database-url`) → AQUASEED_DATABASE_URL → the provider asked for (`auto` probes for a container
 * runtime) → the embedded server. DATABASE_URL is never read: app developers always have it set, to
 * their own database; `--database-url "$DATABASE_URL"` opts in explicitly.
 */
import { AquaseedError } from '../core/errors.js';
import { probeContainerRuntime } from '../provision/container-runtime.js';
import type { PostgresProvider } from '../provision/server.js';
import type { SeedRequest } from './request.js';

/** The variable a CI or a shell sets to send every seed to one server (design.md §5). */
export const DATABASE_URL_ENV = 'AQUASEED_DATABASE_URL';

/** The URL to seed, if any: an explicit one, else AQUASEED_DATABASE_URL. */
export function targetUrl(request: SeedRequest, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return request.databaseUrl || env[DATABASE_URL_ENV] || undefined;
}

/** The server of a request, as design.md §5 orders them. */
export async function chooseProvider(request: SeedRequest): Promise<PostgresProvider> {
  if (targetUrl(request)) return 'external';
  switch (request.provider) {
    case 'external':
      throw new AquaseedError(
        'AQUASEED_INVALID_OPTION',
        `provider 'external' needs a database URL, and neither server: { url } (--database-url) nor ${DATABASE_URL_ENV} is set (DATABASE_URL is never read implicitly)`,
        `pass server: { url } (--database-url "$DATABASE_URL" to use that one) or set ${DATABASE_URL_ENV}, or drop the provider option to use the embedded server`,
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
