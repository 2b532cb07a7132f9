import { HttpError } from './http-error';

/** Deepest nesting a request body may have; the top-level object or array is level 1. */
export const MAX_JSON_DEPTH = 64;

const BACKSLASH = 0x5c;
const LETTER_U = 0x75;
const NUL_OR_LONE_SURROGATE = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNPRINTABLE = /[\0-\x1f\x7f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

interface Frame { value: object; depth: number; parent: Frame | undefined; key: string }
type Problem = { code: 'json_too_deep' | 'nul_character' | 'lone_surrogate'; at: Frame; key: string; message: string };

function stringProblem(text: string, at: Frame, key: string, contains: string): Problem | undefined {
  const found = NUL_OR_LONE_SURROGATE.exec(text);
  if (!found) return undefined;
  return found[0] === '\0'
    ? { code: 'nul_character', at, key, message: `${contains} a NUL character (U+0000)` }
    : { code: 'lone_surrogate', at, key, message: `${contains} an unpaired UTF-16 surrogate` };
}

const segment = (key: string) => (key.length > 40 ? `${key.slice(0, 40)}…` : key).replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

// NUL and lone surrogates can only arrive as \u escapes: raw control characters are invalid
// JSON and raw surrogates invalid UTF-8, both refused before this runs. Most bodies hold no
// backslash at all, and a one-byte search is far cheaper than a two-byte one.
function hasUnicodeEscape(raw: Buffer): boolean {
  for (let i = raw.indexOf(BACKSLASH); i >= 0; i = raw.indexOf(BACKSLASH, i + 2)) if (raw[i + 1] === LETTER_U) return true;
  return false;
}

/** The JSON path of a problem, e.g. `data.items.3.name`; a very deep one keeps its two ends. */
function fieldOf(problem: Problem): string {
  const keys = [problem.key];
  for (let frame = problem.at; frame.parent; frame = frame.parent) keys.push(frame.key);
  const path = keys.reverse().map(segment);
  return path.length > 12 ? `${path.slice(0, 8).join('.')}.…(${path.length - 10} more).${path.slice(-2).join('.')}` : path.join('.');
}

function valueProblem(value: unknown, frame: Frame, index: number | string, checkStrings: boolean, stack: Frame[]): Problem | undefined {
  if (typeof value === 'object' && value !== null) {
    if (frame.depth >= MAX_JSON_DEPTH) return { code: 'json_too_deep', at: frame, key: String(index), message: `nested deeper than ${MAX_JSON_DEPTH} levels` };
    stack.push({ value, depth: frame.depth + 1, parent: frame, key: String(index) });
  } else if (checkStrings && typeof value === 'string') {
    return stringProblem(value, frame, String(index), 'contains');
  }
  return undefined;
}

/** The first thing PostgreSQL or a recursive reader could not take: too deep, a NUL, a lone surrogate. */
function findProblem(body: object, checkStrings: boolean): Problem | undefined {
  // An explicit stack, not recursion: a 10,000-deep body must not overflow the call stack.
  const stack: Frame[] = [{ value: body, depth: 1, parent: undefined, key: '' }];
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    if (Array.isArray(frame.value)) {
      for (let i = 0; i < frame.value.length; i++) {
        const problem = valueProblem(frame.value[i], frame, i, checkStrings, stack);
        if (problem) return problem;
      }
      continue;
    }
    const record = frame.value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const problem = (checkStrings ? stringProblem(key, frame, key, 'key contains') : undefined) ?? valueProblem(record[key], frame, key, checkStrings, stack);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** The 400 for a parsed body nested deeper than MAX_JSON_DEPTH or holding a NUL or a lone surrogate. */
export function checkJsonBody(body: unknown, raw: Buffer): HttpError | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const problem = findProblem(body, hasUnicodeEscape(raw));
  if (!problem) return undefined;
  const field = fieldOf(problem);
  return new HttpError(400, problem.code, `Invalid body: ${field}: ${problem.message}`, [{ field, message: problem.message }]);
}
