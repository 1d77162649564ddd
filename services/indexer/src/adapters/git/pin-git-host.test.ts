import { describe, expect, it } from '@jest/globals';
import { checkGitUrl } from '../../domain/git-url-policy.js';
import { pinGitHost } from './pin-git-host.js';

const policy = { schemes: ['https', 'ssh', 'file'] as const, hosts: ['github.com', '140.82.112.3'] };

describe('pinGitHost', () => {
  it("pins https through curl's resolve cache, IPv6 in brackets", () => {
    expect(
      pinGitHost(checkGitUrl('https://github.com:8443/a/b', policy), ['140.82.112.3', '2606:4700::1111']).config,
    ).toEqual(['-c', 'http.curloptResolve=github.com:8443:140.82.112.3,[2606:4700::1111]']);
  });

  it('pins ssh to the address and keeps the name for the host key, quoted for the shell', () => {
    expect(pinGitHost(checkGitUrl('git@github.com:a/b.git', policy), ['140.82.112.3']).sshCommand).toBe(
      "'ssh' '-o' 'BatchMode=yes' '-o' 'StrictHostKeyChecking=yes' '-o' 'HostName=140.82.112.3' '-o' 'HostKeyAlias=github.com'",
    );
    expect(pinGitHost(checkGitUrl('ssh://git@github.com:2222/a/b.git', policy), ['140.82.112.3']).sshCommand).toContain(
      "'HostKeyAlias=[github.com]:2222'",
    );
  });

  it('has nothing to pin for IP literal hosts and file URLs', () => {
    expect(pinGitHost(checkGitUrl('https://140.82.112.3/a', policy), ['140.82.112.3']).config).toEqual([]);
    expect(pinGitHost(checkGitUrl('file:///srv/a.git', policy), []).config).toEqual([]);
  });
});
