export type PostgresProvider = 'embedded' | 'external' | 'testcontainers';

/** A PostgreSQL server aquaseed can seed into, whoever provides it. */
export interface PostgresServer {
  readonly provider: PostgresProvider;
  /** A connection URL for `database` on this server. */
  url(database: string): string;
  /** The database to connect to for CREATE/DROP DATABASE. */
  readonly maintenanceDatabase: string;
  /** Stops the server if aquaseed started it (a no-op for external servers). */
  stop(): Promise<void>;
}
