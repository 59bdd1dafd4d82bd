/**
 * Text that names several things in any order (an error message listing every problem it found),
 * as an asymmetric matcher: `rejects.toMatchObject({ message: containingAll(…) })`. A part is a
 * substring or a pattern the text must hold.
 */
import { expect } from 'vitest';

export function containingAll(...parts: (string | RegExp)[]): unknown {
  return expect.toSatisfy(
    (text: unknown) => typeof text === 'string' && parts.every((part) => (typeof part === 'string' ? text.includes(part) : part.test(text))),
    `a string holding ${parts.map((part) => (typeof part === 'string' ? JSON.stringify(part) : String(part))).join(', ')}`,
  );
}
