import { describe, expect, it } from '@jest/globals';
import { checkGitUrl } from '../../domain/git-url-policy.js';
import { resolveGitHost, type HostLookup } from './resolve-git-host.js';

const policy = { schemes: ['https', 'ssh'] as const, hosts: ['git.example.org', 'localhost', '127.0.0.1'] };
const url = checkGitUrl('https://git.example.org/a/b.git', policy);
const answering =
  (...addresses: string[]): HostLookup =>
  async () =>
    addresses;

describe('resolveGitHost', () => {
  it('returns every address, canonical, when all are public', async () => {
    await expect(resolveGitHost(url, policy, answering('140.82.112.3', '2606:4700:0:0::1111'))).resolves.toEqual([
      '140.82.112.3',
      '2606:4700::1111',
    ]);
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.0.0.7', 'private'],
    ['172.20.0.1', 'private'],
    ['192.168.0.1', 'private'],
    ['fd00::1', 'private'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['169.254.3.4', 'link-local'],
    ['fe80::1', 'link-local'],
    ['100.64.1.1', 'cgnat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['fe80::1%eth0', 'reserved'],
  ])('refuses a host resolving to %s (%s) with permission_denied', async (address, kind) => {
    await expect(resolveGitHost(url, policy, answering(address))).rejects.toMatchObject({
      code: 'permission_denied',
      message: expect.stringContaining(`a ${kind} address`),
    });
  });

  it('refuses a host when any one of its addresses is refused (DNS may answer with either)', async () => {
    await expect(resolveGitHost(url, policy, answering('140.82.112.3', '127.0.0.1'))).rejects.toMatchObject({
      code: 'permission_denied',
    });
  });

  it('checks IP literal hosts without DNS, and real names through the system resolver', async () => {
    const never: HostLookup = async () => {
      throw new Error('no lookup expected');
    };
    await expect(resolveGitHost(checkGitUrl('https://127.0.0.1/a', policy), policy, never)).rejects.toMatchObject({
      code: 'permission_denied',
    });
    await expect(resolveGitHost(checkGitUrl('https://localhost/a', policy), policy)).rejects.toMatchObject({
      code: 'permission_denied',
    });
  });

  it('lets configuration open private addresses or named networks, never metadata through allowPrivate', async () => {
    await expect(resolveGitHost(url, { ...policy, allowPrivate: true }, answering('10.0.0.7', '::1'))).resolves.toEqual(
      ['10.0.0.7', '::1'],
    );
    await expect(
      resolveGitHost(url, { ...policy, allowPrivate: true }, answering('169.254.169.254')),
    ).rejects.toMatchObject({ code: 'permission_denied' });
    await expect(
      resolveGitHost(url, { ...policy, allowedNetworks: ['10.20.0.0/16'] }, answering('10.20.1.2')),
    ).resolves.toEqual(['10.20.1.2']);
    await expect(
      resolveGitHost(url, { ...policy, allowedNetworks: ['10.20.0.0/16'] }, answering('10.21.1.2')),
    ).rejects.toMatchObject({ code: 'permission_denied' });
  });

  it('says only that the fetch failed when resolution fails, keeping the resolver error as the cause', async () => {
    const failing =
      (code: string): HostLookup =>
      async () => {
        throw Object.assign(new Error(code), { code });
      };
    const missing = await resolveGitHost(url, policy, failing('ENOTFOUND')).catch((error: unknown) => error);
    expect(missing).toMatchObject({ code: 'failed_precondition', message: 'could not fetch the repository' });
    expect(String((missing as Error).cause)).toContain('ENOTFOUND');
    await expect(resolveGitHost(url, policy, failing('EAI_AGAIN'))).rejects.toMatchObject({ code: 'unavailable' });
  });
});
