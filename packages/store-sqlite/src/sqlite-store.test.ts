import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { openSqliteStore } from './sqlite-store.js';
import type { ChunkWrite } from './store-types.js';

const scratch = mkdtempSync(join(tmpdir(), 'conexus-store-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const write = (path: string, id: string, word: string): ChunkWrite => ({
  chunk: { id, path, startLine: 1, endLine: 1, symbol: word, kind: 'function', signature: null, text: word },
  terms: { symbol: word, path: path.replace(/\W/g, ' '), body: word },
  embedHash: `h-${id}`,
});
const file = (path: string) => ({ path, hash: `hash-${path}`, size: 1, mtimeMs: 1, language: null });

describe('SqliteStore snapshots', () => {
  it('leaves the previous snapshot untouched when a run rolls back', () => {
    const store = openSqliteStore(join(scratch, 'a'));
    const first = store.beginSnapshot('repo', '/r');
    first.putFile(file('a.py'), [write('a.py', 'c1', 'alpha')]);
    first.commit({ commit: 'c1', embedder: null });
    const second = store.beginSnapshot('repo', '/r');
    second.deleteFile('a.py');
    second.putFile(file('b.py'), [write('b.py', 'c2', 'beta')]);
    second.rollback();
    const repo = store.findRepo('repo')!;
    expect(repo).toMatchObject({ commit: 'c1', files: 1, chunks: 1 });
    const weights = { symbol: 1, path: 1, body: 1 };
    expect(store.searchLexical('"alpha"', [repo.id], 10, weights)).toHaveLength(1);
    expect(store.searchLexical('"beta"', [repo.id], 10, weights)).toHaveLength(0);
    store.close();
  });

  it('survives reopening after the process died mid-snapshot', () => {
    const dataDir = join(scratch, 'b');
    const store = openSqliteStore(dataDir);
    const writer = store.beginSnapshot('repo', '/r');
    writer.putFile(file('a.py'), [write('a.py', 'c1', 'alpha')]);
    writer.commit({ commit: 'c1', embedder: null });
    store.beginSnapshot('repo', '/r').putFile(file('b.py'), [write('b.py', 'c2', 'beta')]);
    store.close();
    const reopened = openSqliteStore(dataDir);
    expect(reopened.findRepo('repo')).toMatchObject({ files: 1, chunks: 1 });
    reopened.close();
  });

  it('never reuses a generation, so caches cannot confuse a removed repository with a new one', () => {
    const store = openSqliteStore(join(scratch, 'c'));
    const one = store.beginSnapshot('one', '/r');
    one.commit({ commit: null, embedder: null });
    const before = store.findRepo('one')!;
    store.removeRepo('one');
    const two = store.beginSnapshot('two', '/r');
    two.commit({ commit: null, embedder: null });
    const after = store.findRepo('two')!;
    expect(`${after.id}:${after.generation}`).not.toBe(`${before.id}:${before.generation}`);
    store.close();
  });

  it('refuses to remove a repository while a snapshot is being written', () => {
    const store = openSqliteStore(join(scratch, 'd'));
    const writer = store.beginSnapshot('repo', '/r');
    expect(() => store.removeRepo('repo')).toThrow(/while an index run is writing/);
    writer.rollback();
    store.close();
  });

  it('refuses a store written by an incompatible version, with a typed error', () => {
    const dataDir = join(scratch, 'e');
    openSqliteStore(dataDir).close();
    const db = new Database(join(dataDir, 'index.db'));
    db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
    db.close();
    expect(() => openSqliteStore(dataDir)).toThrow(expect.objectContaining({ code: 'incompatible_store' }));
  });

  it.each([2, 3])(
    'upgrades a version %i store: repositories stay registered, their chunks are dropped for a full re-index',
    (version) => {
      const dataDir = join(scratch, `v${version}`);
      const old = openSqliteStore(dataDir);
      const writer = old.beginSnapshot('repo', '/r');
      writer.putFile(file('a.py'), [write('a.py', 'c1', 'alpha')]);
      writer.commit({ commit: 'c1', embedder: null });
      old.close();
      const db = new Database(join(dataDir, 'index.db'));
      db.exec(
        `UPDATE meta SET value = '${version}' WHERE key = 'schema_version';${version === 2 ? ' DROP TABLE redactions;' : ''}`,
      );
      db.close();
      const store = openSqliteStore(dataDir);
      const repo = store.findRepo('repo')!;
      expect(repo).toMatchObject({ commit: null, files: 0, chunks: 0 });
      expect(store.searchLexical('"alpha"', [repo.id], 10, { symbol: 1, path: 1, body: 1 })).toHaveLength(0);
      expect(store.knownFiles(repo.id).size).toBe(0);
      const upgraded = store.repoRows()[0]!.generation;
      const again = store.beginSnapshot('repo', '/r');
      again.putFile(file('a.py'), [write('a.py', 'c1', 'alpha')], [{ line: 1, rule: 'jwt' }]);
      again.commit({ commit: 'c1', embedder: null });
      expect(store.repoRows()[0]!.generation).toBeGreaterThan(upgraded);
      expect(store.searchLexical('"alpha"', [repo.id], 10, { symbol: 1, path: 1, body: 1 })).toHaveLength(1);
      expect(store.redactions(repo.id)).toHaveLength(1);
      store.close();
    },
  );

  it('sees document frequencies committed by another connection', () => {
    const dataDir = join(scratch, 'f');
    const reader = openSqliteStore(dataDir);
    const writer = openSqliteStore(dataDir);
    const first = writer.beginSnapshot('repo', '/r');
    first.putFile(file('a.py'), [write('a.py', 'c1', 'alpha')]);
    first.commit({ commit: null, embedder: null });
    expect(reader.termDocCounts(['alpha']).get('alpha')).toBe(1);
    const second = writer.beginSnapshot('repo', '/r');
    second.putFile(file('b.py'), [write('b.py', 'c2', 'alpha')]);
    second.commit({ commit: null, embedder: null });
    expect(reader.termDocCounts(['alpha']).get('alpha')).toBe(2);
    reader.close();
    writer.close();
  });

  it("keeps each file's redactions with its chunks: replaced, deleted and removed together", () => {
    const store = openSqliteStore(join(scratch, 'g'));
    const first = store.beginSnapshot('repo', '/r');
    first.putFile(
      file('a.py'),
      [write('a.py', 'c1', 'alpha')],
      [
        { line: 3, rule: 'github-pat' },
        { line: 1, rule: 'private-key' },
      ],
    );
    first.putFile(file('b.py'), [write('b.py', 'c2', 'beta')], [{ line: 2, rule: 'jwt' }]);
    first.commit({ commit: null, embedder: null });
    const { id } = store.findRepo('repo')!;
    expect(store.redactions(id)).toEqual([
      { path: 'a.py', line: 1, rule: 'private-key' },
      { path: 'a.py', line: 3, rule: 'github-pat' },
      { path: 'b.py', line: 2, rule: 'jwt' },
    ]);
    const second = store.beginSnapshot('repo', '/r');
    second.putFile(file('a.py'), [write('a.py', 'c3', 'gamma')]);
    second.deleteFile('b.py');
    second.commit({ commit: null, embedder: null });
    expect(store.redactions(id)).toEqual([]);
    const third = store.beginSnapshot('repo', '/r');
    third.putFile(file('a.py'), [write('a.py', 'c1', 'alpha')], [{ line: 3, rule: 'github-pat' }]);
    third.commit({ commit: null, embedder: null });
    expect(store.redactions(id)).toHaveLength(1);
    store.removeRepo('repo');
    expect(store.redactions(id)).toEqual([]);
    store.close();
  });
});
