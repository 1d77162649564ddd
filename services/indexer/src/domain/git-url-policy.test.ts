import { describe, expect, it } from '@jest/globals';
import { checkGitRef, checkGitUrl, DEFAULT_GIT_URL_POLICY } from './git-url-policy.js';

describe('git URL policy', () => {
  it('allows https and ssh to allowed hosts and returns the canonical URL git is given', () => {
    expect(checkGitUrl('https://github.com/caddyserver/caddy.git', DEFAULT_GIT_URL_POLICY)).toMatchObject({
      scheme: 'https',
      canonical: 'https://github.com/caddyserver/caddy.git',
    });
    expect(checkGitUrl('ssh://git@GitLab.com/group/project.git', DEFAULT_GIT_URL_POLICY)).toMatchObject({
      scheme: 'ssh',
      canonical: 'ssh://git@gitlab.com/group/project.git',
    });
    expect(checkGitUrl('git@github.com:caddyserver/caddy.git', DEFAULT_GIT_URL_POLICY)).toMatchObject({
      scheme: 'ssh',
      host: 'github.com',
    });
  });

  it.each([
    ['https://github.com\\@127.0.0.1:9999/x.git', 'invalid_argument', 'backslash'],
    ['https://github.com@127.0.0.1:9999/x.git', 'invalid_argument', 'userinfo'],
    ['--upload-pack=touch /tmp/pwned', 'invalid_argument', 'starts with "-"'],
    ['ext::sh -c touch% /tmp/pwned', 'invalid_argument', 'whitespace'],
    ['https://user:secret@github.com/a/b', 'invalid_argument', 'userinfo'],
    ['https://github.com/a/b\nhttps://evil', 'invalid_argument', 'control'],
    ['https://github.com./a/b', 'invalid_argument', 'not a plain DNS name'],
    ['file:///etc', 'permission_denied', 'uses file'],
    ['http://github.com/a/b', 'invalid_argument', 'uses http'],
    ['https://evil.example/a/b', 'permission_denied', 'not in the allowed hosts'],
    ['https://github.com.evil.example/a/b', 'permission_denied', 'not in the allowed hosts'],
    ['https://127.0.0.1/a/b', 'permission_denied', 'not in the allowed hosts'],
    ['https://[::1]/a/b', 'permission_denied', 'not in the allowed hosts'],
    ['git@evil.example:a/b.git', 'permission_denied', 'not in the allowed hosts'],
  ])('refuses %j with %s', (url, code, why) => {
    expect(() => checkGitUrl(url, DEFAULT_GIT_URL_POLICY)).toThrow(why);
    expect(() => checkGitUrl(url, DEFAULT_GIT_URL_POLICY)).toThrow(expect.objectContaining({ code }));
  });

  it('compares allow-list entries by their canonical spelling', () => {
    expect(checkGitUrl('https://git.example.org/a', { schemes: ['https'], hosts: ['Git.Example.ORG'] }).host).toBe(
      'git.example.org',
    );
    expect(() => checkGitUrl('https://git.example.org/a', { schemes: ['https'], hosts: ['git.example.org.'] })).toThrow(
      'not in the allowed hosts',
    );
  });

  it('allows file URLs only when configured', () => {
    expect(checkGitUrl('file:///srv/mirrors/a.git', { schemes: ['file'], hosts: [] }).scheme).toBe('file');
  });

  it('refuses refs that git would read as options or ranges', () => {
    expect(() => checkGitRef('main')).not.toThrow();
    expect(() => checkGitRef('release/v2.1')).not.toThrow();
    for (const ref of ['--output=/tmp/x', 'a..b', 'main;rm', ''])
      expect(() => checkGitRef(ref)).toThrow('invalid git ref');
  });
});
