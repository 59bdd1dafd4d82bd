/**
 * The environment a command or an app gets for a database: `DATABASE_URL` (what Django with
 * dj-database-url, Rails, Prisma and most Node apps read) and libpq's `PGHOST`, `PGPORT`,
 * `PGUSER`, `PGPASSWORD`, `PGDATABASE` (what psql, pg_dump, node-postgres and psycopg read when
 * given nothing else), all for the same database.
 */
import { AquaseedError } from '../core/errors.js';

export type Env = Record<string, string>;

/** The database variables for `url` (postgres:// or postgresql://; ?host=/dir for a socket directory). */
export function databaseEnv(url: string): Env {
  let parsed: URL;
  let emptyHost = false;
  try {
    // libpq allows no host (postgres://user@/db?host=/run/postgresql); WHATWG URLs do not.
    emptyHost = /^postgres(?:ql)?:\/\/(?:[^@/]*@)?\//.test(url);
    parsed = new URL(emptyHost ? url.replace(/^(postgres(?:ql)?:\/\/(?:[^@/]*@)?)\//, '$1placeholder/') : url);
  } catch (error) {
    throw new AquaseedError('AQUASEED_INVALID_OPTION', `database URL ${JSON.stringify(redact(url))} is not a URL`, 'pass a URL such as postgres://user:password@127.0.0.1:5432/farm', { cause: error });
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new AquaseedError('AQUASEED_INVALID_OPTION', `database URL ${JSON.stringify(redact(url))} is not a postgres:// URL`, 'pass a URL such as postgres://user:password@127.0.0.1:5432/farm');
  }
  const env: Env = { DATABASE_URL: url };
  const socketDir = parsed.searchParams.get('host');
  const host = socketDir ?? (emptyHost ? '' : parsed.hostname.replace(/^\[(.*)\]$/, '$1'));
  if (host) env.PGHOST = host;
  env.PGPORT = parsed.port || '5432';
  if (parsed.username) env.PGUSER = decodeURIComponent(parsed.username);
  if (parsed.password) env.PGPASSWORD = decodeURIComponent(parsed.password);
  const database = decodeURIComponent(parsed.pathname.slice(1));
  if (database) env.PGDATABASE = database;
  const sslmode = parsed.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  return env;
}

/**
 * `base` (normally process.env) without its libpq variables (PGSERVICE, PGSSLMODE, PGOPTIONS, …)
 * and DATABASE_URL, then the database's: a developer's own settings must not point a command
 * meant for the farm at another database, or connect it differently.
 */
export function environmentFor(url: string, base: NodeJS.ProcessEnv = process.env): Env {
  const env: Env = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined || /^PG[A-Z]+$/.test(name) || name === 'DATABASE_URL') continue;
    env[name] = value;
  }
  return { ...env, ...databaseEnv(url) };
}

/** `url` without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/^(\w+:\/\/[^:/@]*:)[^@]*@/, '$1***@');
}
