/**
 * Helpers for tests of the errors aquaseed raises.
 */
import { expect } from 'vitest';
import { AquaseedError } from '../../src/core/errors.js';

/** The AquaseedError a promise rejects with (fails the test if it resolves or throws anything else). */
export async function refusal(promise: Promise<unknown>): Promise<AquaseedError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AquaseedError);
  return error as AquaseedError;
}
