import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  GetFileResponseSchema,
  ShardFileRequestSchema,
  ShardSearchRequestSchema,
  ShardSearchResponseSchema,
} from '@conexus/api';
import { createChunker } from '@conexus/chunking';
import { createEngine } from '@conexus/engine';
import { answerShard } from './answer-shard.js';
import { readRepoFile } from '../adapters/fs/read-repo-file.js';

const scratch = mkdtempSync(join(tmpdir(), 'conexus-shard-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true, maxRetries: 5 }));

// Built at run time so that no secret-looking literal is committed.
const keyBody = [
  'dGhpcyBpcyBhIGZha2Uga2V5IGJvZHkgZm9yIGEgdGVzdCwgbm90aGluZyBtb3Jl',
  'aXQgdW5sb2NrcyBub3RoaW5nIGFuZCBpcyBub3QgdXNlZCBmb3IgYW55dGhpbmcu',
];
const key = ['-----BEGIN ' + 'PRIVATE KEY-----', ...keyBody, '-----END ' + 'PRIVATE KEY-----'].join('\n');
const token = 'gl' + 'pat-' + 'Xk3vQ9mT2bR7nW5pL8zY';
const FILES = {
  'ci/release.py': `def publish_release(version):\n    headers = {"PRIVATE-TOKEN": "${token}"}\n    return post("/releases", version, headers)\n\nSIGNING_KEY = """\n${key}\n"""\n`,
  'ci/notes.py': 'def release_notes(version):\n    return f"notes for {version}"\n',
};

describe('answerShard and secrets', () => {
  it('serves search results and GetFile lines with secrets redacted, and both agree line for line', async () => {
    const root = join(scratch, 'repo');
    for (const [path, content] of Object.entries(FILES)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
    execFileSync('git', ['init', '-q'], { cwd: root });
    execFileSync('git', ['add', '-A'], { cwd: root });
    execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'c'], { cwd: root });
    const engine = createEngine({ dataDir: join(scratch, 'data'), chunker: await createChunker() });
    await engine.index(root, 'ci');
    const deps = { shard: 0, engine, lastEvents: new Map(), forget: () => undefined, readFile: readRepoFile };
    const scope = { everything: true };

    const search = fromBinary(
      ShardSearchResponseSchema,
      await answerShard(
        deps,
        'search',
        toBinary(
          ShardSearchRequestSchema,
          create(ShardSearchRequestSchema, { request: { query: 'publish_release headers token', topK: 5 }, scope }),
        ),
      ),
    );
    const hit = search.results.find((result) => result.path === 'ci/release.py')!;
    expect(hit.text).toContain('[REDACTED:gitlab-pat]');

    const read = async (startLine = 0, endLine = 0) =>
      fromBinary(
        GetFileResponseSchema,
        await answerShard(
          deps,
          'file',
          toBinary(
            ShardFileRequestSchema,
            create(ShardFileRequestSchema, {
              request: { repo: 'ci', path: 'ci/release.py', startLine, endLine },
              scope,
            }),
          ),
        ),
      );
    const whole = await read();
    expect(whole.text).toContain('[REDACTED:private-key]');
    expect(whole.totalLines).toBe(FILES['ci/release.py'].split('\n').length - 1);
    for (const secret of [token, ...keyBody]) {
      expect(whole.text).not.toContain(secret);
      expect(search.results.map((result) => result.text).join('\n')).not.toContain(secret);
    }
    expect((await read(hit.startLine, hit.endLine)).text).toBe(hit.text.replace(/\n?$/, '\n'));

    // why: a repository the caller may not read must answer exactly like one that does not exist.
    const refusal = (repo: string) =>
      answerShard(
        deps,
        'file',
        toBinary(
          ShardFileRequestSchema,
          create(ShardFileRequestSchema, { request: { repo, path: 'ci/release.py' }, scope: { everything: false } }),
        ),
      ).then(
        () => 'read',
        (error: { code: string; message: string }) => `${error.code}: ${error.message.replace(`"${repo}"`, '"REPO"')}`,
      );
    expect(await refusal('ci')).toBe(await refusal('elsewhere'));
    await engine.close();
  });
});
