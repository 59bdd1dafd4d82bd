/**
 * farm.changes() on a tracked farm and the matchers over it (toHaveWritten, toHaveChangedOnly) as
 * both runners register them: what an app's own connection wrote is seen, `.not` inverts, a
 * failure shows a diff (Playwright's adapter appends it through withDiff), and an untracked farm
 * or a misspelt table is refused instead of passing.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFarm, type Farm, type FarmClone } from '../../src/index.js';
import { toHaveChangedOnly, toHaveWritten, withDiff } from '../../src/matchers/index.js';

/** The error an assertion rejects with (the matchers are async: Vitest returns a promise). */
async function failureOf(assertion: unknown): Promise<Error> {
  return (assertion as Promise<unknown>).then(
    () => new Error('the assertion passed'),
    (error: unknown) => error as Error,
  );
}

let farm: Farm;
let untracked: FarmClone;

/** Writes as an app does, on a connection of its own, committed. */
async function appWrites(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  farm = await seedFarm('tiny');
  untracked = await farm.clone(); // before tracking began: a copy nobody tracks
  await farm.trackChanges();
  // A form-sized write: one mortality event like an existing one, and one batch's notes changed.
  await appWrites(
    farm.url,
    `INSERT INTO batch_mortalityevent (event_date, count, biomass_kg, cause, description, created_at, updated_at, batch_id, assignment_id)
       SELECT event_date, 250, biomass_kg, cause, 'from the form', now(), now(), batch_id, assignment_id FROM batch_mortalityevent ORDER BY id LIMIT 1`,
  );
});

afterAll(async () => {
  await untracked?.close();
  await farm?.close();
});

describe('farm.changes()', () => {
  it('returns what another connection inserted, per table, and nothing for tables left alone', async () => {
    const changes = await farm.changes();
    expect(Object.keys(changes)).toEqual(['batch_mortalityevent']);
    expect(changes.batch_mortalityevent!.inserted).toEqual([expect.objectContaining({ count: 250, description: 'from the form' })]);
    expect(changes.batch_mortalityevent!.updated).toEqual([]);
    expect(changes.batch_mortalityevent!.deleted).toEqual([]);
  });

  it('is refused on a farm nobody tracks', async () => {
    await expect(untracked.changes()).rejects.toMatchObject({ code: 'AQUASEED_NOT_TRACKED' });
  });
});

describe('toHaveWritten / toHaveChangedOnly', () => {
  expect.extend({ toHaveWritten, toHaveChangedOnly });

  it('pass on what was written, and .not on what was not', async () => {
    await expect(farm).toHaveWritten('batch_mortalityevent');
    await expect(farm).toHaveWritten('batch_mortalityevent', 1);
    await expect(farm).toHaveWritten('batch_mortalityevent', { count: 250, description: /form/ });
    await expect(farm.url).toHaveWritten('batch_mortalityevent', { where: { count: 250 }, kind: 'inserted', count: 1 });
    await expect(farm).not.toHaveWritten('batch_batch');
    await expect(farm).toHaveChangedOnly(['batch_mortalityevent']);
    await expect(farm).toHaveChangedOnly([/^batch_/]);
    await expect(farm).not.toHaveChangedOnly(['batch_batch']);
  });

  it('fail with the table, what was written and a diff; a misspelt table is refused, not passed under .not', async () => {
    const failure = await failureOf(expect(farm).toHaveWritten('batch_mortalityevent', { count: 251 }));
    expect(failure.message).not.toBe('the assertion passed');
    expect(failure.message).toContain('expect(farm).toHaveWritten');
    expect(failure.message).toContain('batch_mortalityevent');
    const only = await failureOf(expect(farm).toHaveChangedOnly(['batch_batch']));
    expect(only.message).toContain('batch_mortalityevent');
    const misspelt = await failureOf(expect(farm).not.toHaveWritten('batch_mortalityevents'));
    expect(misspelt.message).not.toBe('the assertion passed');
    expect(misspelt.message).toContain('batch_mortalityevents');
  });

  it("withDiff appends the runner's diff to a failure's message, for Playwright", async () => {
    const matcher = withDiff(toHaveWritten);
    const context = { isNot: false, utils: { diff: (a: unknown, b: unknown) => `DIFF ${JSON.stringify(a).length}/${JSON.stringify(b).length}` } };
    const failed = await matcher.call(context, farm, 'batch_mortalityevent', { count: 251 });
    expect(failed.pass).toBe(false);
    expect(failed.message()).toMatch(/\n\nDIFF \d+\/\d+$/);
    const passed = await matcher.call(context, farm, 'batch_mortalityevent', { count: 250 });
    expect(passed.pass).toBe(true);
  });
});
