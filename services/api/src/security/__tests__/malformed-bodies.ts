import type { ApiRoute } from './route-fixtures';
import { bodyProperties } from './route-fixtures';

export interface Malformed {
  label: string;
  body: string | Buffer;
  contentType: string;
}
/** A hostile input and the refusal it must get: this code, naming this field. */
export interface Hostile {
  label: string;
  body: string;
  code: string;
  field: string;
}

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
    {
      label: 'invalid UTF-8',
      body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]),
      contentType: 'application/json',
    },
    { label: 'wrong content type', body: json(valid), contentType: 'text/plain' },
    { label: 'form encoded', body: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' },
    {
      label: '2 MB body',
      body: json({ ...valid, padding: 'x'.repeat(2 * 1024 * 1024) }),
      contentType: 'application/json',
    },
    { label: 'non-finite number', body: '{"amount": 1e999, "n": -1e999}', contentType: 'application/json' },
    {
      label: 'prototype pollution',
      body: '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}',
      contentType: 'application/json',
    },
    {
      label: 'unknown extra fields only',
      body: json({ surprise: 'field', another: [1] }),
      contentType: 'application/json',
    },
    {
      label: 'impossible dates',
      body: json({
        ...valid,
        check_in: '2026-02-30',
        check_out: '2026-13-01',
        since: 'yesterday',
        expires_at: '2026-02-31T25:61:00Z',
      }),
      contentType: 'application/json',
    },
  ];
}

/** Per-property wrong types, plus each field missing, derived from the route's own schema. */
export function malformedBodies(route: ApiRoute): Malformed[] {
  const props = bodyProperties(route);
  const variants = generic({});
  for (const { name, type } of props) {
    for (const wrong of WRONG_VALUE[type] ?? [['wrong']]) {
      variants.push({
        label: `${name}: wrong ${type} (${JSON.stringify(wrong).slice(0, 24)})`,
        body: JSON.stringify({ [name]: wrong }),
        contentType: 'application/json',
      });
    }
  }
  return variants;
}

const NESTED = 10_000;
// The 64 keys down to the first level too deep, as the refusal abbreviates them.
const deepField = (first: string) => `${first}.a.a.a.a.a.a.a.…(54 more).a.a`;
// Where a hostile value sits inside a property of this type, and the path that names it.
const inside = (name: string, type: string, value: unknown): [unknown, string] =>
  type === 'array'
    ? [['fine', value], `${name}.1`]
    : type === 'object'
      ? [{ inner: value }, `${name}.inner`]
      : [value, name];

/**
 * What PostgreSQL or a recursive reader cannot take — 10,000 levels of nesting, NUL in a
 * value or a key, a lone surrogate — at the top and inside each top-level property.
 */
export function hostileBodies(route: ApiRoute): Hostile[] {
  const variants: Hostile[] = [
    { label: `${NESTED} levels at the top`, body: deep(NESTED), code: 'json_too_deep', field: deepField('a') },
    { label: 'NUL in a top-level key', body: '{"na\\u0000me":"x"}', code: 'nul_character', field: 'na\\u0000me' },
  ];
  for (const { name, type } of bodyProperties(route)) {
    const [nul, nulField] = inside(name, type, 'a\u0000b');
    const [lone, loneField] = inside(name, type, 'x\ud800');
    const [key, keyField] = inside(name, type, { ['k\u0000']: 'v' });
    variants.push(
      {
        label: `${name}: ${NESTED} levels`,
        body: `{${JSON.stringify(name)}:${deep(NESTED)}}`,
        code: 'json_too_deep',
        field: deepField(name),
      },
      {
        label: `${name}: NUL in a string`,
        body: JSON.stringify({ [name]: nul }),
        code: 'nul_character',
        field: nulField,
      },
      {
        label: `${name}: NUL in a key`,
        body: JSON.stringify({ [name]: key }),
        code: 'nul_character',
        field: `${keyField}.k\\u0000`,
      },
      {
        label: `${name}: lone surrogate`,
        body: JSON.stringify({ [name]: lone }),
        code: 'lone_surrogate',
        field: loneField,
      },
    );
  }
  return variants;
}

/** Raw path or query values no route may receive: control characters and undecodable percent-encodings. */
export const HOSTILE_URL_VALUES = ['%00', 'a%00b', '%1F', '%7F', 'x%0D%0Ay', '%ED%A0%80', '%E0%A4%A', '%', '%C0%AF'];
