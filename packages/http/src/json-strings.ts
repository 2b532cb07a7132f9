import type { HttpError } from './http-error';
import { jsonRefusal } from './json-path';

const BACKSLASH = 0x5c;
const LETTER_U = 0x75;

declare global {
  // ES2024, in Node since 20; TypeScript's ES2023 lib does not declare it yet.
  interface String {
    isWellFormed(): boolean;
  }
}

// NUL and lone surrogates can only arrive as \u escapes: raw control characters are invalid
// JSON and raw surrogates invalid UTF-8, both refused before this runs. Most bodies hold no
// backslash at all, and a one-byte search is far cheaper than a two-byte one.
function hasUnicodeEscape(raw: Buffer): boolean {
  for (let i = raw.indexOf(BACKSLASH); i >= 0; i = raw.indexOf(BACKSLASH, i + 2))
    if (raw[i + 1] === LETTER_U) return true;
  return false;
}

interface Frame {
  value: object;
  parent: Frame | undefined;
  key: string;
}
const pathTo = (frame: Frame, key: string) => {
  const keys = [key];
  for (let at: Frame = frame; at.parent; at = at.parent) keys.push(at.key);
  return keys.reverse();
};

function stringProblem(text: string, frame: Frame, key: string, contains: string): HttpError | undefined {
  const hasNul = text.includes('\0');
  if (!hasNul && text.isWellFormed()) return undefined;
  return hasNul
    ? jsonRefusal('nul_character', pathTo(frame, key), `${contains} a NUL character (U+0000)`)
    : jsonRefusal('lone_surrogate', pathTo(frame, key), `${contains} an unpaired UTF-16 surrogate`);
}

/** The 400 for a parsed body holding a NUL or a lone surrogate in a string or a key. */
export function stringRefusal(body: unknown, raw: Buffer): HttpError | undefined {
  if (typeof body !== 'object' || body === null || !hasUnicodeEscape(raw)) return undefined;
  // An explicit stack, not recursion: the walk never leans on the call stack, however deep the body.
  const stack: Frame[] = [{ value: body, parent: undefined, key: '' }];
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    const record = frame.value as Record<string, unknown>;
    const isArray = Array.isArray(record);
    for (const key of Object.keys(record)) {
      const value = record[key];
      const problem =
        (isArray ? undefined : stringProblem(key, frame, key, 'key contains')) ??
        (typeof value === 'string' ? stringProblem(value, frame, key, 'contains') : undefined);
      if (problem) return problem;
      if (typeof value === 'object' && value !== null) stack.push({ value, parent: frame, key });
    }
  }
  return undefined;
}
