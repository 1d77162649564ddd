import type Database from 'better-sqlite3';
import { ConexusError } from '@conexus/kernel';
import { openSnapshot } from './open-snapshot.js';
import type { PreparedStatements } from './prepare-statements.js';
import type { SqliteStore } from './store-types.js';

/** The store's writes, and whether a snapshot is being written now. */
export interface RepoWriter extends Pick<SqliteStore, 'beginSnapshot' | 'setEmbedder' | 'removeRepo'> {
  readonly writing: boolean;
}

/** Writes repositories: one snapshot at a time per connection, each in its own transaction. */
export function createRepoWriter(db: Database.Database, statements: PreparedStatements): RepoWriter {
  let writing = false;
  // why: generations come from one store-wide counter, so caches keyed on them never confuse a removed
  // repository with a new one.
  const nextGeneration = (): number => statements.bumpGeneration.get() as number;
  return {
    get writing() {
      return writing;
    },
    beginSnapshot(name, root) {
      if (writing) throw new ConexusError('failed_precondition', 'another index run is writing to this store');
      try {
        db.exec('BEGIN IMMEDIATE');
      } catch (error) {
        throw new ConexusError(
          'unavailable',
          `the store is busy (another process is indexing): ${(error as Error).message}`,
        );
      }
      writing = true;
      statements.upsertRepo.run(name, root);
      const repoId = (statements.findRepo.get(name) as { id: number }).id;
      statements.clearSkips.run(repoId);
      const finish = (sql: 'COMMIT' | 'ROLLBACK'): void => {
        if (!writing) return;
        // why: SQLite may already have rolled back on its own (disk full, I/O error); a second ROLLBACK would hide why.
        if (db.inTransaction) db.exec(sql);
        writing = false;
      };
      return openSnapshot({ db, statements, repoId, nextGeneration, finish });
    },
    setEmbedder(repoId, embedder) {
      db.transaction(() => statements.setEmbedder.run(embedder, nextGeneration(), repoId))();
    },
    removeRepo(name) {
      if (writing)
        throw new ConexusError('failed_precondition', 'cannot remove a repository while an index run is writing');
      const repo = statements.findRepo.get(name) as { id: number } | undefined;
      if (!repo) return false;
      db.transaction(() => {
        nextGeneration();
        for (const rowid of statements.chunkRowidsOfRepo.all(repo.id) as number[]) statements.deleteFts.run(rowid);
        for (const table of ['chunks', 'files', 'skips', 'redactions'])
          db.prepare(`DELETE FROM ${table} WHERE repo_id = ?`).run(repo.id);
        db.prepare('DELETE FROM repos WHERE id = ?').run(repo.id);
      })();
      return true;
    },
  };
}
