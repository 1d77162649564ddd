import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { readRepoFile } from './read-repo-file.js';

const scratch = mkdtempSync(join(tmpdir(), 'conexus-read-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true, maxRetries: 5 }));
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', '-c', 'gc.auto=0', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

// Built at run time so that no secret-looking literal is committed.
const keyBody = [
  'Zm9yIHRlc3RzIG9ubHksIG5vdCBhIHJlYWwga2V5OyBpdCBvcGVucyBub3RoaW5n',
  'YW5kIGlzIG5ldmVyIHVzZWQgZm9yIGFueXRoaW5nIGJ1dCB0aGlzIHRlc3QgY2Fz',
];
const key = ['-----BEGIN EC ' + 'PRIVATE KEY-----', ...keyBody, '-----END EC ' + 'PRIVATE KEY-----'].join('\n');
const token = 'xox' + 'b-' + '493027561824-720318465901-' + 'Vb7Kq2Lx9Tz4Wm1Pn8Rc5Hd3';
const source = `# settings\nSLACK = "${token}"\n\nSIGNING_KEY = """\n${key}\n"""\nDEBUG = False\n`;

describe('readRepoFile', () => {
  it('redacts secrets from the committed blob and the working tree alike, keeping every line', async () => {
    const root = join(scratch, 'repo');
    mkdirSync(join(root, 'app'), { recursive: true });
    writeFileSync(join(root, 'app/settings.py'), source);
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'c');
    const commit = git(root, 'rev-parse', 'HEAD');
    for (const text of [
      await readRepoFile(root, 'app/settings.py', commit),
      await readRepoFile(root, 'app/settings.py', null),
    ]) {
      const lines = text.split('\n');
      expect(lines).toHaveLength(source.split('\n').length);
      expect(lines[1]).toBe('SLACK = "[REDACTED:slack-token]"');
      expect(lines.slice(4, 8)).toEqual(Array(4).fill('[REDACTED:private-key]'));
      expect(lines[9]).toBe('DEBUG = False');
      expect(text).not.toContain(token);
      for (const line of keyBody) expect(text).not.toContain(line);
    }
  });

  it('reads a commit the caller named from git only, never the working tree under its label', async () => {
    const root = join(scratch, 'named');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'a.txt'), 'committed\n');
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'c');
    const commit = git(root, 'rev-parse', 'HEAD');
    writeFileSync(join(root, 'a.txt'), 'edited since\n');
    expect(await readRepoFile(root, 'a.txt', commit, true)).toBe('committed\n');
    await expect(readRepoFile(root, 'a.txt', 'deadbeef', true)).rejects.toMatchObject({ code: 'not_found' });
    await expect(readRepoFile(root, 'a.txt', 'deadbeef')).resolves.toBe('edited since\n');
  });
});
