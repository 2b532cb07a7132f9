import { invalid } from '@bellhop/errors';

/** A value that is in the payload but cannot be read as what it should be (a price "abc", a date "soon"). */
export class UnreadableValue extends Error {}

/** One documented place a value may be: its name in errors, and how to read it (null or undefined: not there). */
export type Place<T> = readonly [where: string, read: () => T | null | undefined];

/** A value a record cannot be stored without, and the places to look for it, in order of preference. */
export interface Needed<T> {
  what: string;
  places: readonly Place<T>[];
}

export const need = <T>(what: string, ...places: Place<T>[]): Needed<T> => ({ what, places });

type Found<N> = { [K in keyof N]: N[K] extends Needed<infer T> ? NonNullable<T> : never };

/**
 * Each needed value from the first place that has it. Nothing is ever defaulted: when a value is
 * in none of its places, or unreadable where found, one `invalid` error names every such field and
 * where it looked, e.g. `reservation 123: no total price (looked at totalPrice, …)`.
 */
export function requireValues<N extends Record<string, Needed<unknown>>>(subject: string, needed: N): Found<N> {
  const found: Record<string, unknown> = {};
  const problems: { field: string; message: string }[] = [];
  for (const [field, { what, places }] of Object.entries(needed)) {
    const problem = findInto(found, field, what, places);
    if (problem) problems.push({ field, message: problem });
  }
  if (problems.length)
    throw invalid(`${subject}: ${problems.map((p) => p.message).join('; ')}`, problems, 'channel_value_missing');
  return found as Found<N>;
}

/** Stores the first value found; returns what went wrong otherwise. */
function findInto(
  found: Record<string, unknown>,
  field: string,
  what: string,
  places: readonly Place<unknown>[],
): string | null {
  for (const [where, read] of places) {
    let value: unknown;
    try {
      value = read();
    } catch (error) {
      if (error instanceof UnreadableValue) return `${what} unreadable: ${where} ${error.message}`;
      throw error;
    }
    if (value !== null && value !== undefined) {
      found[field] = value;
      return null;
    }
  }
  return `no ${what} (looked at ${places.map(([where]) => where).join(', ')})`;
}
