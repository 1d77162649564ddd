import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { create } from '@bufbuild/protobuf';
import { RepoSourceSchema, type RepoSource } from '@conexus/api';
import { checkSource } from '@conexus/indexer';
import { checkedSource } from './check-source.js';

const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'conexus-check-source-')));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const root = join(scratch, 'root');
const outside = join(scratch, 'outside');
for (const dir of [join(root, 'app'), join(root, 'mirror.git'), outside, join(root, 'gitfile')])
  mkdirSync(dir, { recursive: true });
symlinkSync(outside, join(root, 'escape'));
writeFileSync(join(root, 'gitfile', '.git'), `gitdir: ${outside}\n`);

const policy = { pathRoots: [root], git: { schemes: ['https', 'file'] as const, hosts: ['github.com'] } };
const path = (value: string): RepoSource => create(RepoSourceSchema, { source: { case: 'path', value } });
const git = (value: string, ref = ''): RepoSource =>
  create(RepoSourceSchema, { source: { case: 'gitUrl', value }, ref });
const codeOf = (source: RepoSource, roots = policy.pathRoots): string => {
  try {
    checkSource(source, { ...policy, pathRoots: roots });
    return 'ok';
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('checkSource', () => {
  it('accepts paths under a root and allowed git URLs', () => {
    expect(codeOf(path(join(root, 'app')))).toBe('ok');
    expect(codeOf(path(root))).toBe('ok');
    expect(codeOf(git('https://github.com/a/b.git', 'main'))).toBe('ok');
    expect(codeOf(git(`file://${join(root, 'mirror.git')}`))).toBe('ok');
  });

  it('refuses paths outside the roots with permission_denied, whether or not they exist', () => {
    expect(codeOf(path(outside))).toBe('permission_denied');
    expect(codeOf(path('/etc'))).toBe('permission_denied');
    expect(codeOf(path(join(outside, 'missing')))).toBe('permission_denied');
    expect(codeOf(path('/no/such/dir'))).toBe('permission_denied');
    expect(codeOf(path(`${root}-sibling`))).toBe('permission_denied');
    expect(codeOf(path(join(root, 'app', '..', '..', 'outside')))).toBe('permission_denied');
    expect(codeOf(path(join(root, 'app')), [])).toBe('permission_denied');
  });

  it('follows links before deciding, and says not_found only inside the roots', () => {
    expect(codeOf(path(join(root, 'escape')))).toBe('permission_denied');
    expect(codeOf(path(join(root, 'missing')))).toBe('not_found');
  });

  it('holds file:// git URLs to the same roots, and refuses .git files and links git would follow', () => {
    expect(codeOf(git(`file://${outside}`))).toBe('permission_denied');
    expect(codeOf(git('file:///etc'))).toBe('permission_denied');
    expect(codeOf(git(`file://${join(root, 'escape')}`))).toBe('permission_denied');
    expect(codeOf(git(`file://${join(root, 'gitfile')}`))).toBe('permission_denied');
    expect(checkedSource(git(`file://${join(root, 'mirror.git')}`), policy)).toMatchObject({
      kind: 'git',
      url: { canonical: `file://${join(root, 'mirror.git')}` },
    });
  });

  it('refuses malformed git URLs and refs with invalid_argument and disallowed ones with permission_denied, without DNS', () => {
    expect(codeOf(git('https://github.com\\@127.0.0.1:9999/x.git'))).toBe('invalid_argument');
    expect(codeOf(git('https://github.com/a/b.git', '--upload-pack=x'))).toBe('invalid_argument');
    expect(codeOf(git('ssh://git@github.com/a/b.git'))).toBe('permission_denied');
    expect(codeOf(git('https://evil.example/a/b.git'))).toBe('permission_denied');
    expect(codeOf(create(RepoSourceSchema, {}))).toBe('invalid_argument');
  });
});
