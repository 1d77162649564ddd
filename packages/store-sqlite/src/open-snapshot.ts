import type Database from 'better-sqlite3';
import type { PreparedStatements } from './prepare-statements.js';
import type { SnapshotWriter } from './store-types.js';

/** What a snapshot writer needs: the connection in its open transaction, the statements, and how the store ends a write. */
export interface SnapshotContext {
  readonly db: Database.Database;
  readonly statements: PreparedStatements;
  readonly repoId: number;
  /** The next store-wide generation, for the snapshot's commit. */
  readonly nextGeneration: () => number;
  /** Ends the store's write: commits or rolls back the transaction, once. */
  readonly finish: (sql: 'COMMIT' | 'ROLLBACK') => void;
}

/** Deletes a file's chunks (and their full-text rows) and redactions, keeping its file row. */
export function deleteFileRows(statements: PreparedStatements, repoId: number, path: string): void {
  for (const rowid of statements.chunkRowidsOfFile.all(repoId, path) as number[]) statements.deleteFts.run(rowid);
  statements.deleteChunksOfFile.run(repoId, path);
  statements.deleteRedactionsOfFile.run(repoId, path);
}

/** The writer of one repository snapshot whose transaction the store has just begun. */
export function openSnapshot({ db, statements, repoId: id, nextGeneration, finish }: SnapshotContext): SnapshotWriter {
  return {
    repoId: id,
    putFile(file, chunks, redactions = []) {
      deleteFileRows(statements, id, file.path);
      statements.upsertFile.run(id, file.path, file.hash, file.size, file.mtimeMs, file.language);
      for (const { line, rule } of redactions) statements.insertRedaction.run(id, file.path, line, rule);
      for (const { chunk, terms, embedHash } of chunks) {
        const nameLower = chunk.symbol ? (chunk.symbol.split('.').pop() ?? chunk.symbol).toLowerCase() : null;
        const info = statements.insertChunk.run(
          chunk.id,
          id,
          chunk.path,
          chunk.startLine,
          chunk.endLine,
          chunk.symbol,
          nameLower,
          chunk.kind,
          chunk.signature,
          chunk.text,
          embedHash,
        );
        statements.insertFts.run(info.lastInsertRowid, terms.symbol, terms.path, terms.body);
      }
    },
    touchFile: (file) => statements.upsertFile.run(id, file.path, file.hash, file.size, file.mtimeMs, file.language),
    deleteFile(path) {
      deleteFileRows(statements, id, path);
      statements.deleteFile.run(id, path);
    },
    recordSkip: (path, reason) => statements.insertSkip.run(id, path, reason),
    commit({ commit, embedder }) {
      statements.finishRepo.run(commit, new Date().toISOString(), embedder, nextGeneration(), id);
      finish('COMMIT');
      // why: a large snapshot leaves a WAL as big as itself; fold it back so the data directory stays small.
      db.pragma('wal_checkpoint(TRUNCATE)');
    },
    rollback: () => finish('ROLLBACK'),
  };
}
