import { fakeResolve, trapRealDns } from './__tests__/fake-dns';
import { validateWebhookUrl } from './validate-url';

const strict = { allowHttp: true, allowPrivateTargets: false, resolve: fakeResolve };

beforeEach(() => {
  fakeResolve.mockClear();
  trapRealDns();
});
afterEach(() => jest.restoreAllMocks());

describe('validateWebhookUrl refuses non-public targets', () => {
  it.each([
    ['http://127.0.0.1', /127\.0\.0\.1 is a loopback/],
    ['http://[::1]', /loopback/],
    ['http://localhost', /local/],
    ['http://LOCALHOST./hook', /local/],
    ['http://agent.localhost:8080', /local/],
    ['http://0.0.0.0', /unspecified/],
    ['http://10.0.0.1', /private/],
    ['http://172.16.5.4', /private/],
    ['http://192.168.1.1', /private/],
    ['http://100.64.1.1', /private/],
    ['http://169.254.169.254/latest/meta-data', /169\.254\.169\.254 is a link-local/],
    ['http://[fd00::1]', /unique-local/],
    ['http://[::ffff:127.0.0.1]', /loopback/],
    ['http://[::ffff:7f00:1]', /loopback/],
    ['http://[64:ff9b::a9fe:a9fe]', /link-local/],
    ['http://2130706433', /loopback/],
    ['http://0177.0.0.1', /loopback/],
    ['http://0x7f.1', /loopback/],
    ['http://127.1', /loopback/],
    ['http://[fe80::1]', /link-local/],
    ['http://224.0.0.1', /multicast/],
    ['http://255.255.255.255', /broadcast/],
    ['http://internal.example/hook', /"internal\.example" resolves to 10\.1\.2\.3, a private/],
    ['http://mixed.example/hook', /192\.168\.0\.5, a private/],
    ['http://metadata.example', /link-local/],
    ['https://v6-internal.example', /fd12::1, a unique-local/],
  ])('%s', async (url, reason) => {
    const result = await validateWebhookUrl(url, strict);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('never resolves IP literals or localhost names', async () => {
    await validateWebhookUrl('http://127.1', strict);
    await validateWebhookUrl('http://localhost', strict);
    expect(fakeResolve).not.toHaveBeenCalled();
  });

  it('refuses names that do not resolve or resolve to nothing', async () => {
    expect(await validateWebhookUrl('https://nowhere.example', strict)).toEqual({
      ok: false,
      reason: 'could not resolve host "nowhere.example" (ENOTFOUND)',
    });
    expect(await validateWebhookUrl('https://empty.example', strict)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no addresses/),
    });
  });
});

describe('validateWebhookUrl accepts public targets (validation only, nothing connects)', () => {
  it.each([
    'https://public.example/webhooks/bellhop?x=1',
    'https://8.8.8.8/hook',
    'https://[2606:4700:4700::1111]/',
    'http://93.184.216.34',
  ])('%s', async (url) => {
    const result = await validateWebhookUrl(url, strict);
    expect(result).toEqual({ ok: true, url: new URL(url) });
  });
});

describe('validateWebhookUrl shape rules', () => {
  const httpsOnly = { ...strict, allowHttp: false };
  const lax = { allowHttp: true, allowPrivateTargets: true, resolve: fakeResolve };

  it('requires https unless allowHttp', async () => {
    expect(await validateWebhookUrl('http://public.example', httpsOnly)).toEqual({
      ok: false,
      reason: 'https is required',
    });
    expect((await validateWebhookUrl('https://public.example', httpsOnly)).ok).toBe(true);
  });

  it.each(['ftp://public.example/x', 'file:///etc/passwd', 'javascript:alert(1)', '/relative/path', 'not a url', ''])(
    'refuses %p',
    async (url) => {
      expect((await validateWebhookUrl(url, lax)).ok).toBe(false);
    },
  );

  it('refuses credentials in the URL, even with allowPrivateTargets', async () => {
    for (const url of [
      'https://user:pw@public.example/',
      'https://user@public.example/',
      'https://:pw@public.example/',
    ]) {
      expect(await validateWebhookUrl(url, lax)).toEqual({
        ok: false,
        reason: 'URL must not contain a username or password',
      });
    }
  });

  it('refuses URLs over 2048 characters', async () => {
    const base = 'https://public.example/';
    expect((await validateWebhookUrl(base + 'a'.repeat(2048 - base.length), strict)).ok).toBe(true);
    expect(await validateWebhookUrl(base + 'a'.repeat(2049 - base.length), strict)).toEqual({
      ok: false,
      reason: 'URL is longer than 2048 characters',
    });
  });

  it('allowPrivateTargets skips address checks but keeps scheme rules', async () => {
    for (const url of [
      'http://127.0.0.1:4000/hook',
      'http://localhost:4000',
      'http://internal.example',
      'http://[::1]/',
    ]) {
      expect((await validateWebhookUrl(url, lax)).ok).toBe(true);
    }
    expect(fakeResolve).not.toHaveBeenCalled();
    expect((await validateWebhookUrl('http://localhost', { ...lax, allowHttp: false })).ok).toBe(false);
  });
});
