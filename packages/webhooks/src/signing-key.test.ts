import { sign, verify } from 'node:crypto';
import { WebhookVerificationError } from './errors';
import { buildSignatureHeaders, computeV1a, signPayload } from './sign';
import { generateSigningKeyPair, publicKeyOf, signingKey, verifyingKey } from './signing-key';
import { verifyWebhook } from './verify';

// RFC 8032, section 7.1, test 1: the seed, its public key, and the signature of the empty message.
const RFC8032 = {
  seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
  publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  emptySignature:
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
};

// Our v1a vector (made with node:crypto): the Standard Webhooks v1 vector's message, signed with the seed 0x00…0x1f.
const V1A = {
  secretKey: 'whsk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=',
  publicKey: 'whpk_A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1a,yoUrgEkc12aGqm0n4Sydmdz55xJfTz4AsAgieHFjmkR7LJtqVCZOQYzvvHjI5kAey+r4iaBGxTFRrl2iBQxtDQ==',
};
const headers = (signature: string) => ({
  'webhook-id': V1A.id,
  'webhook-timestamp': String(V1A.timestamp),
  'webhook-signature': signature,
});

describe('v1a signing keys (Ed25519)', () => {
  it('read a whsk_ seed and write its whpk_ public key as RFC 8032 does', () => {
    const secretKey = `whsk_${Buffer.from(RFC8032.seed, 'hex').toString('base64')}`;
    expect(Buffer.from(publicKeyOf(secretKey).slice(5), 'base64').toString('hex')).toBe(RFC8032.publicKey);
    expect(sign(null, Buffer.alloc(0), signingKey(secretKey)).toString('hex')).toBe(RFC8032.emptySignature);
  });

  it('sign "{id}.{timestamp}.{body}" as the v1a vector says, and node:crypto verifies it with the raw public key', () => {
    expect(publicKeyOf(V1A.secretKey)).toBe(V1A.publicKey);
    expect(signPayload({ ...V1A, secrets: [], signingKeys: [signingKey(V1A.secretKey)] })).toBe(V1A.signature);
    const signed = Buffer.from(`${V1A.id}.${V1A.timestamp}.${V1A.body}`);
    expect(verify(null, signed, verifyingKey(V1A.publicKey), Buffer.from(V1A.signature.slice(4), 'base64'))).toBe(true);
  });

  it('verifyWebhook takes public keys: any v1a entry signed by any of them, every entry tried', () => {
    const other = generateSigningKeyPair();
    const both = `${signPayload({ ...V1A, secrets: [], signingKeys: [signingKey(other.secretKey)] })} ${V1A.signature}`;
    expect(verifyWebhook(V1A.body, headers(both), { publicKeys: [V1A.publicKey] }, { now: V1A.timestamp })).toEqual({
      test: 2432232314,
    });
    expect(verifyWebhook(V1A.body, headers(both), { publicKeys: [other.publicKey] }, { now: V1A.timestamp })).toEqual({
      test: 2432232314,
    });
    expect(() =>
      verifyWebhook(V1A.body, headers(V1A.signature), { publicKeys: [other.publicKey] }, { now: V1A.timestamp }),
    ).toThrow(WebhookVerificationError);
    expect(() =>
      verifyWebhook(
        '{"test": 2432232315}',
        headers(V1A.signature),
        { publicKeys: [V1A.publicKey] },
        { now: V1A.timestamp },
      ),
    ).toThrow('No matching signature');
    // A v1a signature is no good to an HMAC-only verifier, and a garbled one matches nothing.
    expect(() =>
      verifyWebhook(V1A.body, headers(V1A.signature), 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', { now: V1A.timestamp }),
    ).toThrow('No matching signature');
    expect(() =>
      verifyWebhook(
        V1A.body,
        headers('v1a,AAAA v1a,not-base64!'),
        { publicKeys: [V1A.publicKey] },
        { now: V1A.timestamp },
      ),
    ).toThrow('No matching signature');
  });

  it('sends no HMAC headers when it signs with keys only, and both kinds when it has both', () => {
    const keyOnly = buildSignatureHeaders({
      ...V1A,
      secrets: [],
      signingKeys: [signingKey(V1A.secretKey)],
      eventType: 'x',
    });
    expect(keyOnly['webhook-signature']).toBe(V1A.signature);
    expect(keyOnly['X-Webhook-Signature']).toBeUndefined();
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const mixed = buildSignatureHeaders({
      ...V1A,
      secrets: [secret],
      signingKeys: [signingKey(V1A.secretKey)],
      eventType: 'x',
    });
    expect(mixed['webhook-signature'].split(' ').map((e) => e.split(',')[0])).toEqual(['v1', 'v1a']);
    expect(verifyWebhook(V1A.body, headers(mixed['webhook-signature']), secret, { now: V1A.timestamp })).toBeTruthy();
    expect(
      verifyWebhook(
        V1A.body,
        headers(mixed['webhook-signature']),
        { publicKeys: [V1A.publicKey] },
        { now: V1A.timestamp },
      ),
    ).toBeTruthy();
    expect(computeV1a(V1A.id, V1A.timestamp, Buffer.from(V1A.body), signingKey(V1A.secretKey))).toBe(
      V1A.signature.slice(4),
    );
  });

  it('refuses malformed keys', () => {
    expect(() => signingKey('whsk_short')).toThrow('malformed');
    expect(() => verifyingKey('whpk_' + 'A'.repeat(40))).toThrow('malformed');
  });
});
