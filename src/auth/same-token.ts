import { timingSafeEqual } from 'node:crypto';

/** Compares a shared token in constant time; a missing or empty one never matches. */
export function sameToken(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || given === '') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
