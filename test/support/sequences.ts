/**
 * The app-can-insert check shared by the seed tests: a row inserted without an id after a seed
 * must get one past every loaded id (the sequences were moved past them).
 */
import type pg from 'pg';
import { expect } from 'vitest';

/** Inserts a copy of one mortality event with a sequence-chosen id, checks it, and removes it again. */
export async function expectMortalityInsertPastLoadedIds(client: pg.ClientBase): Promise<void> {
  const max = await client.query<{ max: string }>('SELECT max(id) AS max FROM batch_mortalityevent');
  const next = await client.query<{ id: string }>(
    `INSERT INTO batch_mortalityevent (event_date, count, biomass_kg, cause, description, created_at, updated_at, batch_id, assignment_id)
     SELECT event_date, 1, 0.1, 'UNKNOWN', 'inserted by a test', now(), now(), batch_id, assignment_id FROM batch_mortalityevent LIMIT 1
     RETURNING id`,
  );
  expect(Number(next.rows[0]!.id)).toBeGreaterThan(Number(max.rows[0]!.max));
  await client.query('DELETE FROM batch_mortalityevent WHERE id = $1', [next.rows[0]!.id]);
}
