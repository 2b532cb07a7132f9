import { decodeSecret, generateSecret } from './secret';

describe('secrets', () => {
  it('generates whsec_ + base64 of 32 bytes', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(decodeSecret(secret)).toHaveLength(32);
    expect(generateSecret()).not.toBe(secret);
  });

  it('decodes the spec secret', () => {
    expect(decodeSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toHaveLength(24);
  });

  it.each(['', 'whsec_', 'whsec_not base64!', 'whsec_abc'])('rejects malformed secret %p', (bad) => {
    expect(() => decodeSecret(bad)).toThrow(/secret/i);
  });
});
