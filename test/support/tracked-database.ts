/**
 * A small tracked database beside a seeded farm (on the same server): a few tables covering the
 * shapes changes() reads (a bigint key, a composite key, no key, the types pg parses specially),
 * tracked from the start, for the changes and expectations tests.
 */
import pg from 'pg';
import { trackChanges } from '../../src/changes/tracking.js';

export interface TrackedDatabase {
  url: string;
  /** Runs statements as an app would, on a connection of its own. */
  write(...statements: string[]): Promise<void>;
  drop(): Promise<void>;
}

const SCHEMA = `
  CREATE TABLE note (id bigserial PRIMARY KEY, title text NOT NULL, amount numeric(10,2) NOT NULL DEFAULT 0,
    day date, at timestamptz NOT NULL DEFAULT '2025-11-21T06:00:00Z', tags text[] NOT NULL DEFAULT '{}',
    data jsonb, blob bytea, span interval, done boolean NOT NULL DEFAULT false);
  CREATE TABLE pair (a int NOT NULL, b text NOT NULL, value int NOT NULL, PRIMARY KEY (a, b));
  CREATE TABLE log_line (line text NOT NULL, n int);
  CREATE SCHEMA app;
  CREATE TABLE app.session (key text PRIMARY KEY, data text NOT NULL);
  INSERT INTO note (title, amount, day, tags, data, blob, span) VALUES
    ('first', 1.5, '2025-11-01', '{a,b}', '{"k": 1}', '\\x0102', '1 day 02:00:00'),
    ('second', 2, '2025-11-02', '{}', NULL, NULL, NULL),
    ('third', 3, NULL, '{}', NULL, NULL, NULL);
  INSERT INTO pair VALUES (1, 'x', 10), (1, 'y', 11), (2, 'x', 20);
  INSERT INTO log_line VALUES ('boot', 1), ('boot', 1), ('ready', 2);
`;

/** Creates database `name` on the server of `serverUrl`, fills and tracks it. */
export async function createTrackedDatabase(serverUrl: string, name: string): Promise<TrackedDatabase> {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const client = new pg.Client({ connectionString: url.href });
  await client.connect();
  try {
    await client.query(SCHEMA);
    await trackChanges(client, name);
  } finally {
    await client.end();
  }
  return {
    url: url.href,
    async write(...statements) {
      const app = new pg.Client({ connectionString: url.href, application_name: 'the-app' });
      await app.connect();
      try {
        for (const statement of statements) await app.query(statement);
      } finally {
        await app.end();
      }
    },
    async drop() {
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
