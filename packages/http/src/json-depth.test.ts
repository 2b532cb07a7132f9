import { depthRefusal, MAX_JSON_DEPTH } from './json-depth';

const refusal = (text: string) => {
  const error = depthRefusal(Buffer.from(text));
  return (
    error && { status: error.status, code: error.code, details: error.details as { field: string; message: string }[] }
  );
};
const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

describe('depthRefusal', () => {
  it('accepts ordinary bodies and brackets inside strings', () => {
    expect(
      refusal('{"type":"booking.created","data":{"guest":"Zo\\u00eb","items":[{"n":1},[2,[3]]]}}'),
    ).toBeUndefined();
    expect(refusal(`{"text":"${'[{'.repeat(500)}\\"${'['.repeat(100)}"}`)).toBeUndefined();
  });

  it(`accepts ${MAX_JSON_DEPTH} levels and refuses one more, naming the path`, () => {
    expect(refusal(nested(MAX_JSON_DEPTH))).toBeUndefined();
    expect(refusal(`[${nested(MAX_JSON_DEPTH - 1)}]`)).toBeUndefined();
    expect(refusal(nested(MAX_JSON_DEPTH + 1))).toEqual({
      status: 400,
      code: 'json_too_deep',
      details: [{ field: 'a.a.a.a.a.a.a.a.…(54 more).a.a', message: `nested deeper than ${MAX_JSON_DEPTH} levels` }],
    });
  });

  it('names the path through escaped keys, strings holding brackets and array positions', () => {
    const text = `{"s":"[[{\\"]]","we\\"ird.key":[0,"x,y",{"k":${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}]}`;
    expect(refusal(text)?.details[0].field).toBe('we"ird.key.2.k.0.0.0.0.0.…(54 more).0.0');
  });

  it('refuses 10,000 levels of objects or arrays, and a megabyte of them, without parsing', () => {
    expect(refusal(`{"type":"x","data":${nested(10_000)}}`)?.details[0].field).toBe(
      'data.a.a.a.a.a.a.a.…(54 more).a.a',
    );
    expect(refusal(`{"items":[1,${'['.repeat(10_000)}${']'.repeat(10_000)}]}`)?.details[0].field).toBe(
      'items.1.0.0.0.0.0.0.…(54 more).0.0',
    );
    expect(refusal(`{"data":${'['.repeat(500_000)}${']'.repeat(500_000)}}`)?.code).toBe('json_too_deep');
  });

  it('refuses deep invalid JSON, and leaves shallow invalid JSON to the parser', () => {
    expect(refusal('{'.repeat(100))?.details[0].field).toMatch(/^\?\.\?\./);
    expect(refusal(':[{"a')).toBeUndefined();
    expect(refusal('}}]]{"a":1')).toBeUndefined();
  });
});
