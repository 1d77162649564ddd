import { describe, expect, it } from '@jest/globals';
import { checkGitRef, checkGitUrl, DEFAULT_GIT_URL_POLICY } from './git-url-policy.js';

describe('git URL policy', () => {
  it('allows https and ssh to allowed hosts', () => {
    expect(checkGitUrl('https://github.com/caddyserver/caddy.git', DEFAULT_GIT_URL_POLICY)).toBe('https');
    expect(checkGitUrl('ssh://git@gitlab.com/group/project.git', DEFAULT_GIT_URL_POLICY)).toBe('ssh');
    expect(checkGitUrl('git@github.com:caddyserver/caddy.git', DEFAULT_GIT_URL_POLICY)).toBe('ssh');
  });

  it.each([
    ['--upload-pack=touch /tmp/pwned', 'not a plain URL'],
    ['-uhttps://github.com/a/b', 'not a plain URL'],
    ['ext::sh -c touch% /tmp/pwned', 'not a plain URL'],
    ['ext::sh', 'uses ext'],
    ['file:///etc', 'uses file'],
    ['http://github.com/a/b', 'uses http'],
    ['https://evil.example/a/b', 'not in the allowed hosts'],
    ['https://user:secret@github.com/a/b', 'carries a password'],
    ['https://github.com/a/b\nhttps://evil', 'not a plain URL'],
    ['git@evil.example:a/b.git', 'not in the allowed hosts'],
  ])('refuses %j', (url, why) => {
    expect(() => checkGitUrl(url, DEFAULT_GIT_URL_POLICY)).toThrow(why);
  });

  it('allows file URLs only when configured', () => {
    expect(checkGitUrl('file:///srv/mirrors/a.git', { schemes: ['file'], hosts: [] })).toBe('file');
  });

  it('refuses refs that git would read as options or ranges', () => {
    expect(() => checkGitRef('main')).not.toThrow();
    expect(() => checkGitRef('release/v2.1')).not.toThrow();
    for (const ref of ['--output=/tmp/x', 'a..b', 'main;rm', '']) expect(() => checkGitRef(ref)).toThrow('invalid git ref');
  });
});
