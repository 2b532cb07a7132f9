import { parseHostAsIp } from './host';

describe('parseHostAsIp', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['0x7f.0.0.1', '127.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['10.1', '10.0.0.1'],
    ['0', '0.0.0.0'],
    ['127.0.0.1.', '127.0.0.1'],
    ['[::1]', '::1'],
    ['::1', '::1'],
    ['[::ffff:127.0.0.1]', '::ffff:7f00:1'],
    ['[FD00:0:0:0:0:0:0:1]', 'fd00::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['[2001:db8:0:0:1:0:0:1]', '2001:db8::1:0:0:1'],
  ])('%s → %s', (host, ip) => {
    expect(parseHostAsIp(host)).toBe(ip);
  });

  it.each([
    'example.com',
    '08.0.0.1',
    '1.2.3.4.5',
    '256.0.0.1',
    '4294967296',
    '1.16777216',
    '',
    '[127.0.0.1]',
    'x.127.0.0.1',
  ])('%p is not an IP literal', (host) => expect(parseHostAsIp(host)).toBeNull());

  it('agrees with WHATWG URL, which canonicalises IPv4 spellings itself', () => {
    for (const host of ['2130706433', '0177.0.0.1', '0x7f.1', '127.1']) {
      expect(new URL(`http://${host}/`).hostname).toBe('127.0.0.1');
      expect(parseHostAsIp(host)).toBe('127.0.0.1');
    }
    expect(new URL('http://[::ffff:127.0.0.1]/').hostname).toBe('[::ffff:7f00:1]');
    expect(parseHostAsIp('[::ffff:127.0.0.1]')).toBe('::ffff:7f00:1');
  });
});
