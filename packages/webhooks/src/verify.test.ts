import { WebhookVerificationError } from './errors';
import { generateSecret } from './secret';
import { buildSignatureHeaders, legacySignature, signPayload } from './sign';
import { verifyLegacySignature, verifyWebhook } from './verify';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const timestamp = 1614265330;
const body = '{"test": 2432232314}';

function headersFor(sig = signPayload({ id, timestamp, body, secrets: [secret] })) {
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': sig };
}

describe('verifyWebhook', () => {
  it('verifies the spec vector and returns the parsed payload', () => {
    expect(verifyWebhook(body, headersFor(), secret, { now: timestamp })).toEqual({ test: 2432232314 });
  });

  it('round-trips with a fresh secret, Buffer body and mixed-case headers', () => {
    const s = generateSecret();
    const raw = JSON.stringify({ event: 'x', n: 1 });
    const now = Math.floor(Date.now() / 1000);
    const h = buildSignatureHeaders({ id: 'msg_1', timestamp: now, body: raw, secrets: [s], eventType: 'x' });
    const upper = {
      'Webhook-Id': h['webhook-id'],
      'WEBHOOK-TIMESTAMP': h['webhook-timestamp'],
      'Webhook-Signature': h['webhook-signature'],
    };
    expect(verifyWebhook(Buffer.from(raw), upper, s)).toEqual({ event: 'x', n: 1 });
  });

  it('rejects a tampered body', () => {
    expect(() => verifyWebhook('{"test": 2432232315}', headersFor(), secret, { now: timestamp })).toThrow(
      new WebhookVerificationError('No matching signature found'),
    );
  });

  it('rejects the wrong secret', () => {
    expect(() => verifyWebhook(body, headersFor(), generateSecret(), { now: timestamp })).toThrow(
      /No matching signature/,
    );
  });

  it('rejects a timestamp older than the tolerance', () => {
    expect(() => verifyWebhook(body, headersFor(), secret, { now: timestamp + 301 })).toThrow(/too old/);
    expect(verifyWebhook(body, headersFor(), secret, { now: timestamp + 300 })).toBeTruthy();
  });

  it('rejects a timestamp newer than the tolerance', () => {
    expect(() => verifyWebhook(body, headersFor(), secret, { now: timestamp - 301 })).toThrow(/too new/);
    expect(() => verifyWebhook(body, headersFor(), secret, { now: timestamp - 61, toleranceSeconds: 60 })).toThrow(
      /too new/,
    );
  });

  it('accepts a header where only the second v1 signature matches, ignoring other versions', () => {
    const good = signPayload({ id, timestamp, body, secrets: [secret] });
    const bogus = signPayload({ id, timestamp, body, secrets: [generateSecret()] });
    const sig = `v2,${good.slice(3)} ${bogus} ${good}`;
    expect(verifyWebhook(body, headersFor(sig), secret, { now: timestamp })).toEqual({ test: 2432232314 });
  });

  it('ignores non-v1 entries even when their value matches', () => {
    const good = signPayload({ id, timestamp, body, secrets: [secret] });
    expect(() => verifyWebhook(body, headersFor(`v1a,${good.slice(3)}`), secret, { now: timestamp })).toThrow(
      /No matching/,
    );
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])('rejects a delivery missing %s', (name) => {
    const h: Record<string, string | undefined> = headersFor();
    h[name] = undefined;
    expect(() => verifyWebhook(body, h, secret, { now: timestamp })).toThrow(/Missing required headers/);
  });

  it('rejects a non-numeric timestamp and a truncated signature', () => {
    expect(() => verifyWebhook(body, { ...headersFor(), 'webhook-timestamp': 'soon' }, secret)).toThrow(
      WebhookVerificationError,
    );
    expect(() => verifyWebhook(body, headersFor('v1,g0hM'), secret, { now: timestamp })).toThrow(/No matching/);
  });
});

describe('verifyLegacySignature', () => {
  it('round-trips and rejects tampering', () => {
    const s = generateSecret();
    const header = legacySignature(body, s);
    expect(verifyLegacySignature(body, header, s)).toBe(true);
    expect(verifyLegacySignature(Buffer.from(body), header, s)).toBe(true);
    expect(verifyLegacySignature(body + ' ', header, s)).toBe(false);
    expect(verifyLegacySignature(body, header, generateSecret())).toBe(false);
    expect(verifyLegacySignature(body, 'sha256=00', s)).toBe(false);
    expect(verifyLegacySignature(body, undefined, s)).toBe(false);
  });
});
