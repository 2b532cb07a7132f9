import type { ApiRoute } from './route-fixtures';
import { bodyProperties } from './route-fixtures';

export interface Malformed { label: string; body: string | Buffer; contentType: string }

const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
const WRONG_VALUE: Record<string, unknown[]> = {
  string: [12345, ['x'], { nested: true }, 'x'.repeat(100_000), '\u0000\u202e'],
  number: ['ten', -1e308, 1.5e300, -1, 0.000001],
  integer: ['1', 1.5, -999999999999, 1e21],
  boolean: ['yes', 2, null],
  array: ['not-an-array', [null, 1, {}], Array.from({ length: 10_000 }, () => 'x')],
  object: ['str', [1, 2], 7],
};

/** Generic malformed requests any JSON endpoint must refuse cleanly. */
function generic(valid: Record<string, unknown>): Malformed[] {
  const json = (v: unknown) => JSON.stringify(v);
  return [
    { label: 'truncated JSON', body: '{"a": ', contentType: 'application/json' },
    { label: 'JSON array instead of object', body: '[1,2,3]', contentType: 'application/json' },
    { label: 'JSON scalar', body: '"just a string"', contentType: 'application/json' },
    { label: 'null body', body: 'null', contentType: 'application/json' },
    { label: 'empty object', body: '{}', contentType: 'application/json' },
    { label: 'deeply nested JSON', body: deep(5000), contentType: 'application/json' },
    { label: 'invalid UTF-8', body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]), contentType: 'application/json' },
    { label: 'wrong content type', body: json(valid), contentType: 'text/plain' },
    { label: 'form encoded', body: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' },
    { label: '2 MB body', body: json({ ...valid, padding: 'x'.repeat(2 * 1024 * 1024) }), contentType: 'application/json' },
    { label: 'non-finite number', body: '{"amount": 1e999, "n": -1e999}', contentType: 'application/json' },
    { label: 'prototype pollution', body: '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}', contentType: 'application/json' },
    { label: 'unknown extra fields only', body: json({ surprise: 'field', another: [1] }), contentType: 'application/json' },
    { label: 'impossible dates', body: json({ ...valid, check_in: '2026-02-30', check_out: '2026-13-01', since: 'yesterday', expires_at: '2026-02-31T25:61:00Z' }), contentType: 'application/json' },
  ];
}

/** Per-property wrong types, plus each field missing, derived from the route's own schema. */
export function malformedBodies(route: ApiRoute): Malformed[] {
  const props = bodyProperties(route);
  const variants = generic({});
  for (const { name, type } of props) {
    for (const wrong of WRONG_VALUE[type] ?? [['wrong']]) {
      variants.push({ label: `${name}: wrong ${type} (${JSON.stringify(wrong).slice(0, 24)})`, body: JSON.stringify({ [name]: wrong }), contentType: 'application/json' });
    }
  }
  return variants;
}
