import { stringRefusal } from './json-strings';

const refusal = (text: string) => {
  const error = stringRefusal(JSON.parse(text), Buffer.from(text));
  return error && { status: error.status, code: error.code, details: error.details };
};

describe('stringRefusal', () => {
  it('accepts ordinary strings, escapes and paired surrogates included', () => {
    expect(refusal('{"guest":"Zo\\u00eb \\ud83d\\ude00","items":[{"n":"\\t"},["\\u00e9"]]}')).toBeUndefined();
    expect(refusal('{"a":"back\\\\u0000slash is not an escape"}')).toBeUndefined();
  });

  it('refuses a NUL in a value or a key, naming the JSON path', () => {
    expect(refusal('{"title":"a\\u0000b"}')).toEqual({
      status: 400,
      code: 'nul_character',
      details: [{ field: 'title', message: 'contains a NUL character (U+0000)' }],
    });
    expect(refusal('{"items":[{},{},{},{"name":"\\u0000"}]}')?.details).toEqual([
      { field: 'items.3.name', message: 'contains a NUL character (U+0000)' },
    ]);
    expect(refusal('{"data":{"ke\\u0000y":1}}')?.details).toEqual([
      { field: 'data.ke\\u0000y', message: 'key contains a NUL character (U+0000)' },
    ]);
  });

  it('refuses unpaired surrogates, high or low, in values and keys', () => {
    expect(refusal('{"data":{"x":"\\ud800"}}')).toEqual({
      status: 400,
      code: 'lone_surrogate',
      details: [{ field: 'data.x', message: 'contains an unpaired UTF-16 surrogate' }],
    });
    expect(refusal('{"x":"a\\udc00"}')?.code).toBe('lone_surrogate');
    expect(refusal('{"x":["\\ude00\\ud83d"]}')?.details).toEqual([
      { field: 'x.0', message: 'contains an unpaired UTF-16 surrogate' },
    ]);
    expect(refusal('{"\\ud800":1}')?.details).toEqual([
      { field: '\\ud800', message: 'key contains an unpaired UTF-16 surrogate' },
    ]);
  });

  it('skips the walk when the raw bytes hold no \\u escape', () => {
    expect(stringRefusal({ title: 'a\u0000b' }, Buffer.from('{"title":"ab"}'))).toBeUndefined();
  });
});
