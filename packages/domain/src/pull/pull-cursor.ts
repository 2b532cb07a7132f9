import { invalid } from '@bellhop/errors';

/** A cursor is a message's number within its subscription, as decimal digits; "0" is before the first message. */
const CURSOR = /^(0|[1-9][0-9]{0,17})$/;

export const isCursor = (value: string): boolean => CURSOR.test(value);

/** The message number a cursor names, or 400 naming the field it came in. */
export function parseCursor(value: string, field: 'after' | 'cursor'): bigint {
  if (!isCursor(value))
    throw invalid(`${field} is not a message cursor`, [
      { field, message: 'must be a cursor from a previous answer (next_cursor, a message cursor or an SSE id)' },
    ]);
  return BigInt(value);
}

/** 400 for a cursor past the last message given out: it names nothing this subscription has sent. */
export function beyondLastMessage(field: 'after' | 'cursor', last: bigint) {
  return invalid(`${field} is beyond the last message`, [
    { field, message: `must not be greater than the last message cursor (${last})` },
  ]);
}
