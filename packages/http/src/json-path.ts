import { HttpError } from './http-error';

const UNPRINTABLE = /[\0-\x1f\x7f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const segment = (key: string) =>
  (key.length > 40 ? `${key.slice(0, 40)}…` : key).replace(
    UNPRINTABLE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

/** A JSON path as a field name, e.g. `data.items.3.name`; a very deep one keeps its two ends. */
function fieldOf(keys: string[]): string {
  const path = keys.map(segment);
  return path.length > 12
    ? `${path.slice(0, 8).join('.')}.…(${path.length - 10} more).${path.slice(-2).join('.')}`
    : path.join('.');
}

/** A 400 naming the JSON path of what is wrong with a body. */
export function jsonRefusal(code: string, keys: string[], message: string): HttpError {
  const field = fieldOf(keys);
  return new HttpError(400, code, `Invalid body: ${field}: ${message}`, [{ field, message }]);
}
