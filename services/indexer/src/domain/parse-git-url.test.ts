import { describe, expect, it } from '@jest/globals';
import { canonicalHost, parseGitUrl } from './parse-git-url.js';

describe('parseGitUrl', () => {
  it.each([
    ['https://github.com/caddyserver/caddy.git', 'https://github.com/caddyserver/caddy.git', 'github.com', 443],
    ['HTTPS://GitHub.COM:443/a/b.git', 'https://github.com/a/b.git', 'github.com', 443],
    ['https://git.example.org:8443/a/b', 'https://git.example.org:8443/a/b', 'git.example.org', 8443],
    ['ssh://git@gitlab.com/group/project.git', 'ssh://git@gitlab.com/group/project.git', 'gitlab.com', 22],
    ['ssh://git@gitlab.com:2222/g/p.git', 'ssh://git@gitlab.com:2222/g/p.git', 'gitlab.com', 2222],
    ['git@github.com:caddyserver/caddy.git', 'git@github.com:caddyserver/caddy.git', 'github.com', 22],
    ['github.com:a/b.git', 'github.com:a/b.git', 'github.com', 22],
    ['https://[2001:DB8:0::1]/a', 'https://[2001:db8::1]/a', '2001:db8::1', 443],
    ['https://192.0.2.10/a', 'https://192.0.2.10/a', '192.0.2.10', 443],
    ['file:///srv/mirrors/a.git', 'file:///srv/mirrors/a.git', '', 0],
  ])('reads %j as %j', (text, canonical, host, port) => {
    expect(parseGitUrl(text)).toMatchObject({ canonical, host, port });
  });

  it.each([
    ['https://github.com\\@127.0.0.1:9999/x.git', 'backslash'],
    ['https://github.com\\.evil.example/x', 'backslash'],
    ['https:\\\\github.com/x', 'backslash'],
    ['https://github.com@127.0.0.1/x', 'userinfo'],
    ['https://user:secret@github.com/a/b', 'userinfo'],
    ['https://github.com:443@127.0.0.1:9999/x', 'userinfo'],
    ['https://@github.com/x', 'userinfo'],
    ['ssh://git@github.com@127.0.0.1/x', 'not a plain DNS name'],
    ['ssh://git:secret@github.com/x', 'not a plain login name'],
    ['ssh://github.com:22@127.0.0.1/x', 'not a plain login name'],
    ['https://127.0.0.1#@github.com/x', 'query or fragment'],
    ['https://127.0.0.1?@github.com/x', 'query or fragment'],
    ['https://github%2ecom/x', 'percent-encoded'],
    ['https://github.com%40127.0.0.1/x', 'percent-encoded'],
    ['https://%67ithub.com/x', 'percent-encoded'],
    ['https://github。com/x', 'non-ASCII'],
    ['https://github．com/x', 'non-ASCII'],
    ['https://gіthub.com/x', 'non-ASCII'],
    ['https://[::1%25lo]/x', 'zoned'],
    ['https://[fe80::1%eth0]/x', 'zoned'],
    ['https://::1/x', 'host'],
    ['https:/github.com/x', 'without "//"'],
    ['https://[::1/x', 'not a plain DNS name'],
    ['https://[v1.x]/x', 'not a plain DNS name'],
    ['https://2130706433/x', 'not a plain DNS name'],
    ['https://0x7f000001/x', 'not a plain DNS name'],
    ['https://0x7f.1/x', 'not a plain DNS name'],
    ['https://0177.0.0.1/x', 'not a plain DNS name'],
    ['https://127.1/x', 'not a plain DNS name'],
    ['https://127.0.0.01/x', 'not a plain DNS name'],
    ['https://256.0.0.1/x', 'not a plain DNS name'],
    ['https://github.com./x', 'not a plain DNS name'],
    ['https://github..com/x', 'not a plain DNS name'],
    ['https://-github.com/x', 'not a plain DNS name'],
    ['https://git_hub.com/x', 'not a plain DNS name'],
    ['https:///x', 'empty host'],
    ['https://:443/x', 'empty host'],
    ['https://github.com:/x', 'port'],
    ['https://github.com:0/x', 'port'],
    ['https://github.com:0443/x', 'port'],
    ['https://github.com:65536/x', 'port'],
    ['https://github.com:+443/x', 'port'],
    ['https://github.com:443:443/x', 'port'],
    ['https://github.com/a/b\r\nHost: evil', 'whitespace, control'],
    ['https://github.com/a\n', 'whitespace, control'],
    ['https://github.com/a\tb', 'whitespace, control'],
    ['https://github.com/a b', 'whitespace, control'],
    [' https://github.com/a', 'whitespace, control'],
    ['https://github.com/a\0', 'whitespace, control'],
    ['https://github.com/a%0d%0aX', 'percent-encoded control'],
    ['https://github.com/%2e%2e/x', 'percent-encoded control characters, dots'],
    ['https://github.com/a/../b', '".." path segments'],
    ['https://github.com', 'empty path'],
    ['https://github.com/', 'empty path'],
    ['https://github.com/a<b', 'RFC 3986 does not allow'],
    ['--upload-pack=touch /tmp/pwned', 'starts with "-"'],
    ['-uhttps://github.com/a/b', 'starts with "-"'],
    ['ext::sh -c touch% /tmp/pwned', 'whitespace'],
    ['ext::sh', 'without "//"'],
    ['ext::ssh -oProxyCommand=x', 'whitespace'],
    ['foo::bar', 'allowed path characters'],
    ['fd::17', 'allowed path characters'],
    ['http://github.com/a/b', 'uses http'],
    ['git://github.com/a/b', 'uses git'],
    ['git+ssh://github.com/a/b', 'uses git+ssh'],
    ['ftp://github.com/a/b', 'uses ftp'],
    ['file://localhost/etc', 'names a host'],
    ['file://github.com/etc', 'names a host'],
    ['file:///srv/a%2fb', 'allowed path characters'],
    ['file:/etc/passwd', 'without "//"'],
    ['git@github.com:-oProxyCommand=x', 'path starting with "-"'],
    ['-oProxyCommand=x@github.com:a', 'starts with "-"'],
    ['git@-oProxyCommand=x:a/b', 'not a plain DNS name'],
    ['git@[::1]:a/b', 'not a plain DNS name'],
    ['git@github.com:a/b;id', 'allowed path characters'],
    ['git@github.com:a/$(id)', 'allowed path characters'],
    ['ssh://-oProxyCommand=id/x', 'not a plain DNS name'],
    ["ssh://git@github.com/a/b'c", 'allowed path characters'],
    ['./local/repo', 'neither a URL'],
    ['/srv/repo:x', 'local path'],
    ['', 'empty'],
  ])('refuses %j (%s)', (text, why) => {
    expect(() => parseGitUrl(text)).toThrow(why);
    expect(() => parseGitUrl(text)).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });

  it('never hands git a spelling other than the one it checked', () => {
    for (const text of ['HTTPS://GITHUB.COM/a/b', 'ssh://git@GitHub.com:22/a/b', 'https://github.com:443/a']) {
      const { canonical } = parseGitUrl(text);
      expect(parseGitUrl(canonical).canonical).toBe(canonical);
      expect(canonical).toBe(
        canonical.replace(
          /^([a-z]+:\/\/)?([^/:]*)/,
          (_, scheme: string, host: string) => `${scheme ?? ''}${host.toLowerCase()}`,
        ),
      );
    }
  });
});

describe('canonicalHost', () => {
  it('reads allow-list entries like URL hosts', () => {
    expect(canonicalHost('GitHub.com')).toBe('github.com');
    expect(canonicalHost('[2001:db8::0:1]')).toBe('2001:db8::1');
    expect(canonicalHost('github.com.')).toBeNull();
    expect(canonicalHost('2130706433')).toBeNull();
  });
});
