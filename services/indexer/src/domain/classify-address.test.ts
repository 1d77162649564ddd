import { describe, expect, it } from '@jest/globals';
import { addressAllowed, classifyAddress, PUBLIC_ONLY } from './classify-address.js';
import { formatIp, inNetwork, parseIp, parseNetwork, type IpAddress } from './ip-address.js';

const ip = (text: string): IpAddress => {
  const address = parseIp(text);
  if (!address) throw new Error(`not an address: ${text}`);
  return address;
};

describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['140.82.112.3', 'public'],
    ['2606:4700::1111', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['2002:7f00:1::', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::c0a8:101', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['169.254.169.254', 'metadata'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['::127.0.0.1', 'reserved'],
    ['1::', 'reserved'],
  ])('%s is %s', (text, kind) => {
    expect(classifyAddress(ip(text))).toBe(kind);
  });

  it('keeps the edges of each block right', () => {
    expect(classifyAddress(ip('172.15.255.255'))).toBe('public');
    expect(classifyAddress(ip('172.32.0.0'))).toBe('public');
    expect(classifyAddress(ip('100.63.255.255'))).toBe('public');
    expect(classifyAddress(ip('100.128.0.0'))).toBe('public');
    expect(classifyAddress(ip('11.0.0.0'))).toBe('public');
    expect(classifyAddress(ip('fe00::1'))).toBe('reserved');
  });
});

describe('addressAllowed', () => {
  it('allows only public addresses by default', () => {
    expect(addressAllowed(ip('140.82.112.3'), PUBLIC_ONLY)).toEqual({ allowed: true, kind: 'public' });
    expect(addressAllowed(ip('10.0.0.1'), PUBLIC_ONLY)).toEqual({ allowed: false, kind: 'private' });
  });

  it('opens private kinds with allowPrivate, but never metadata, multicast, unspecified or reserved', () => {
    const open = { allowPrivate: true, allowedNetworks: [] };
    for (const text of ['127.0.0.1', '10.0.0.1', 'fd12::1', '169.254.1.1', '100.64.0.1'])
      expect(addressAllowed(ip(text), open).allowed).toBe(true);
    for (const text of ['169.254.169.254', 'fd00:ec2::254', '224.0.0.1', '0.0.0.0', '192.0.2.1'])
      expect(addressAllowed(ip(text), open).allowed).toBe(false);
  });

  it('opens exactly the listed networks', () => {
    const forge = {
      allowPrivate: false,
      allowedNetworks: [parseNetwork('10.20.0.0/16')!, parseNetwork('169.254.169.254/32')!],
    };
    expect(addressAllowed(ip('10.20.3.4'), forge)).toEqual({ allowed: true, kind: 'private' });
    expect(addressAllowed(ip('10.21.0.1'), forge).allowed).toBe(false);
    expect(addressAllowed(ip('169.254.169.254'), forge).allowed).toBe(true);
  });
});

describe('ip-address', () => {
  it.each([
    '1.2.3',
    '1.2.3.4.5',
    '01.2.3.4',
    '1.2.3.256',
    '::1%lo',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    '12345::',
    '1.2.3.4::',
    ':1',
    'g::1',
    '',
  ])('refuses %j', (text) => {
    expect(parseIp(text)).toBeNull();
  });

  it('writes IPv6 as RFC 5952 says', () => {
    expect(formatIp(ip('2001:0DB8:0000:0000:0001:0000:0000:0001'))).toBe('2001:db8::1:0:0:1');
    expect(formatIp(ip('0:0:0:0:0:0:0:1'))).toBe('::1');
    expect(formatIp(ip('1:0:2:3:4:5:6:7'))).toBe('1:0:2:3:4:5:6:7');
    expect(formatIp(ip('::ffff:1.2.3.4'))).toBe('::ffff:102:304');
  });

  it('matches networks by prefix and version', () => {
    expect(inNetwork(ip('10.9.8.7'), parseNetwork('10.0.0.0/8')!)).toBe(true);
    expect(inNetwork(ip('::ffff:10.9.8.7'), parseNetwork('10.0.0.0/8')!)).toBe(false);
    expect(parseNetwork('10.0.0.0/33')).toBeNull();
    expect(parseNetwork('10.0.0.0')).toBeNull();
    expect(parseNetwork('10.0.0.0/08')).toBeNull();
  });
});
