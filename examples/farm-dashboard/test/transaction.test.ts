import { expect } from 'vitest';
import { farmTest } from 'aquaseed/vitest';

// Every test's `db` is a transaction that is rolled back when the test ends.
const test = farmTest.override({ farmIsolation: 'transaction' });

test('a test may delete every feeding event', async ({ db }) => {
  await db.deleteFrom('inventory_feedingevent').execute();
  const { n } = await db.selectFrom('inventory_feedingevent').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  expect(Number(n)).toBe(0);
});

test('the next test finds them all again', async ({ db, farm }) => {
  const { n } = await db.selectFrom('inventory_feedingevent').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  expect(Number(n)).toBe(farm.summary.rowCounts.inventory_feedingevent);
  expect(Number(n)).toBeGreaterThan(0);
});
