import { checkJsonBody, MAX_JSON_DEPTH } from './json-guard';

/** Parses like the body parser does and returns the refusal, if any. */
function check(text: string) {
  const error = checkJsonBody(JSON.parse(text), Buffer.from(text));
  return error && { status: error.status, code: error.code, details: error.details };
}
const nested = (levels: number, inner = '1') => `${'{"a":'.repeat(levels)}${inner}${'}'.repeat(levels)}`;

describe('checkJsonBody', () => {
  it('accepts ordinary bodies, escapes included', () => {
    expect(check('{"type":"booking.created","data":{"guest":"Zo\\u00eb \\ud83d\\ude00","items":[{"n":1},[2,[3]]]}}')).toBeUndefined();
    expect(check('{"a":"back\\\\u0000slash is not an escape"}')).toBeUndefined();
  });

  it(`accepts ${MAX_JSON_DEPTH} levels and refuses one more, naming the path`, () => {
    expect(check(nested(MAX_JSON_DEPTH))).toBeUndefined();
    expect(check(`[${nested(MAX_JSON_DEPTH - 1)}]`)).toBeUndefined();
    const refused = check(nested(MAX_JSON_DEPTH + 1));
    expect(refused).toMatchObject({ status: 400, code: 'json_too_deep', details: [{ message: `nested deeper than ${MAX_JSON_DEPTH} levels` }] });
    expect((refused?.details as { field: string }[])[0].field).toBe(`a.a.a.a.a.a.a.a.…(54 more).a.a`);
  });

  it('refuses 10,000 levels without overflowing the stack, in objects and arrays', () => {
    expect(check(`{"type":"x","data":${nested(10_000)}}`)?.code).toBe('json_too_deep');
    const arrays = check(`{"items":[1,${'['.repeat(10_000)}${']'.repeat(10_000)}]}`);
    expect(arrays).toMatchObject({ code: 'json_too_deep' });
    expect((arrays?.details as { field: string }[])[0].field).toMatch(/^items\.1\.0\.0\.0\.0\.0\.0\.…\(\d+ more\)\.0\.0$/);
  });

  it('refuses a NUL in a value or a key, naming the JSON path', () => {
    expect(check('{"title":"a\\u0000b"}')).toEqual({ status: 400, code: 'nul_character', details: [{ field: 'title', message: 'contains a NUL character (U+0000)' }] });
    expect(check('{"items":[{},{},{},{"name":"\\u0000"}]}')?.details).toEqual([{ field: 'items.3.name', message: 'contains a NUL character (U+0000)' }]);
    expect(check('{"data":{"ke\\u0000y":1}}')?.details).toEqual([{ field: 'data.ke\\u0000y', message: 'key contains a NUL character (U+0000)' }]);
  });

  it('refuses unpaired surrogates and keeps paired ones', () => {
    expect(check('{"data":{"x":"\\ud800"}}')).toEqual({ status: 400, code: 'lone_surrogate', details: [{ field: 'data.x', message: 'contains an unpaired UTF-16 surrogate' }] });
    expect(check('{"x":"a\\udc00"}')?.code).toBe('lone_surrogate');
    expect(check('{"x":["\\ude00\\ud83d"]}')?.details).toEqual([{ field: 'x.0', message: 'contains an unpaired UTF-16 surrogate' }]);
    expect(check('{"\\ud800":1}')?.details).toEqual([{ field: '\\ud800', message: 'key contains an unpaired UTF-16 surrogate' }]);
    expect(check('{"x":"\\ud83d\\ude00"}')).toBeUndefined();
  });
});
