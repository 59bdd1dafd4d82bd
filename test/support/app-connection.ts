/** The whole database's state (every table's checksum, every sequence), read by a connection of its own. */
import pg from 'pg';
import { databaseState } from '../../src/db/checksum.js';

export async function stateOf(url: string): Promise<Awaited<ReturnType<typeof databaseState>>> {
  const client = new pg.Client({ connectionString: url, application_name: 'checker' });
  await client.connect();
  try {
    return await databaseState(client);
  } finally {
    await client.end();
  }
}

/** Runs statements the way an app does: on its own connection, not through aquaseed's handle. */
export async function asApp(url: string, statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: 'the-app' });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}
