import { buildSignatureHeaders, legacySignature, signPayload } from './sign';
import { generateSecret } from './secret';

const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  expected: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('signPayload', () => {
  it('matches the Standard Webhooks published test vector', () => {
    const { secret, id, timestamp, body } = SPEC;
    expect(signPayload({ id, timestamp, body, secrets: [secret] })).toBe(SPEC.expected);
  });

  it('emits one space-separated v1 entry per secret, current first', () => {
    const other = generateSecret();
    const header = signPayload({ ...SPEC, secrets: [SPEC.secret, other] });
    const parts = header.split(' ');
    expect(parts).toHaveLength(2);
    expect(parts[0]).toBe(SPEC.expected);
    expect(parts[1]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });

  it('refuses to sign without a secret', () => {
    expect(() => signPayload({ ...SPEC, secrets: [] })).toThrow();
  });
});

describe('buildSignatureHeaders', () => {
  it('builds standard and legacy headers, legacy keyed with the first secret', () => {
    const headers = buildSignatureHeaders({
      ...SPEC,
      secrets: [SPEC.secret, generateSecret()],
      eventType: 'reservation.created',
    });
    expect(headers['webhook-id']).toBe(SPEC.id);
    expect(headers['webhook-timestamp']).toBe('1614265330');
    expect(headers['webhook-signature'].startsWith(SPEC.expected + ' ')).toBe(true);
    expect(headers['X-Webhook-Event']).toBe('reservation.created');
    expect(headers['X-Webhook-Signature']).toBe(legacySignature(SPEC.body, SPEC.secret));
    expect(headers['X-Webhook-Signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  });
});
