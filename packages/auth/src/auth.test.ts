import {
  createSecretBox,
  generateApiKeyToken,
  hashApiKeyToken,
  safeEqual,
  signHostToken,
  verifyHostToken,
  InvalidHostTokenError,
} from './index';

describe('auth building blocks', () => {
  it('stores only a hash and a short prefix of an API key', () => {
    const key = generateApiKeyToken();
    expect(key.token).toMatch(/^bh_/);
    expect(key.hash).toBe(hashApiKeyToken(key.token));
    expect(key.hash).not.toContain(key.token);
    expect(key.token.startsWith(key.displayPrefix)).toBe(true);
  });

  it('verifies host tokens and refuses forged, expired or foreign ones', async () => {
    const secret = 'a-test-secret-of-some-length';
    const token = await signHostToken(secret, 'hst_1', 60);
    await expect(verifyHostToken(secret, token)).resolves.toBe('hst_1');
    await expect(verifyHostToken('another-secret-entirely!!', token)).rejects.toBeInstanceOf(InvalidHostTokenError);
    const expired = await signHostToken(secret, 'hst_1', -10);
    await expect(verifyHostToken(secret, expired)).rejects.toThrow(/exp/);
  });

  it('seals secrets with AES-256-GCM and detects tampering', () => {
    const box = createSecretBox('11'.repeat(32));
    const sealed = box.encrypt('whsec_abc');
    expect(sealed).not.toContain('whsec_abc');
    expect(box.decrypt(sealed)).toBe('whsec_abc');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => box.decrypt(parts.join('.'))).toThrow();
  });

  it('compares in constant time', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
