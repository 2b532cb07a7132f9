import type { HttpError } from './http-error';
import { jsonRefusal } from './json-path';

/** Deepest nesting a request body may have; the top-level object or array is level 1. */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const isOpening = (c: number) => c === OPEN_BRACE || c === OPEN_BRACKET;
const isClosing = (c: number) => c === 0x7d || c === 0x5d;
const IN_ARRAY = -1;
const NO_KEY = -2; // only in invalid JSON such as `{{`

/** Index of the quote closing the string that opens at `start` (raw.length when unterminated). */
function stringEnd(raw: Buffer, start: number): number {
  let i = start + 1;
  for (; i < raw.length; i++) {
    const c = raw[i];
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) break;
  }
  return i;
}

const keyText = (raw: Buffer, start: number): string => {
  const literal = raw.toString('utf8', start, stringEnd(raw, start) + 1);
  try {
    return JSON.parse(literal) as string;
  } catch {
    return literal;
  }
};

// A body with no more opening brackets than the limit cannot pass it; counting them natively
// costs a fraction of the byte-by-byte scan, and most bodies hold a handful.
function hasManyOpenings(raw: Buffer): boolean {
  let count = 0;
  for (const bracket of [OPEN_BRACE, OPEN_BRACKET]) {
    for (let i = raw.indexOf(bracket); i >= 0; i = raw.indexOf(bracket, i + 1))
      if (++count > MAX_JSON_DEPTH) return true;
  }
  return false;
}

/** Offset of the first bracket that opens a level deeper than MAX_JSON_DEPTH, or -1. Strings are skipped. */
function tooDeepAt(raw: Buffer): number {
  let depth = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === QUOTE) i = stringEnd(raw, i);
    else if (isOpening(c)) {
      if (++depth > MAX_JSON_DEPTH) return i;
    } else if (isClosing(c)) depth--;
  }
  return -1;
}

/** The keys and array indexes that lead to the container opening at `offset` (a second, slower pass). */
function pathAt(raw: Buffer, offset: number): string[] {
  // Per open container: where its current child's key starts (IN_ARRAY for an array, NO_KEY
  // before the first colon), and its current child's index in an array.
  const keyAt: number[] = [];
  const index: number[] = [];
  let lastString = NO_KEY;
  for (let i = 0; i < offset; i++) {
    const c = raw[i];
    const top = keyAt.length - 1;
    if (c === QUOTE) {
      lastString = i;
      i = stringEnd(raw, i);
    } else if (isOpening(c)) {
      keyAt.push(c === OPEN_BRACKET ? IN_ARRAY : NO_KEY);
      index.push(0);
    } else if (isClosing(c)) {
      keyAt.pop();
      index.pop();
    } else if (c === COMMA && keyAt[top] === IN_ARRAY) index[top]++;
    else if (c === COLON && top >= 0 && keyAt[top] !== IN_ARRAY) keyAt[top] = lastString;
  }
  return keyAt.map((at, k) => (at === IN_ARRAY ? String(index[k]) : at === NO_KEY ? '?' : keyText(raw, at)));
}

/**
 * The 400 for raw JSON nested deeper than MAX_JSON_DEPTH, found before parsing: JSON.parse
 * spends ~500 ms on a 1 MB body of nested arrays, 25 times what a flat one costs.
 * Invalid JSON is left to the parser unless it is too deep.
 */
export function depthRefusal(raw: Buffer): HttpError | undefined {
  const offset = hasManyOpenings(raw) ? tooDeepAt(raw) : -1;
  return offset < 0
    ? undefined
    : jsonRefusal('json_too_deep', pathAt(raw, offset), `nested deeper than ${MAX_JSON_DEPTH} levels`);
}
