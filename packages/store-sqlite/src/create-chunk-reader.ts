import type Database from 'better-sqlite3';
import { toChunk, type ChunkRow } from './chunk-row.js';
import { placeholders } from './placeholders.js';
import type { PreparedStatements } from './prepare-statements.js';
import type { NamedChunk, SqliteStore, StoredChunk } from './store-types.js';

/** The store's reads of chunks and file paths. */
export type ChunkReader = Pick<
  SqliteStore,
  | 'chunksByRowid'
  | 'chunkLocations'
  | 'chunksNamed'
  | 'symbolsMatching'
  | 'hasFile'
  | 'chunksOfRepos'
  | 'filePaths'
  | 'chunksOfFile'
>;

const BATCH = 500;

/** Reads chunks by row, name, symbol pattern, repository or file. */
export function createChunkReader(db: Database.Database, statements: PreparedStatements): ChunkReader {
  return {
    chunksByRowid(rowids) {
      const found = new Map<number, StoredChunk>();
      for (let start = 0; start < rowids.length; start += BATCH) {
        const batch = rowids.slice(start, start + BATCH);
        const rows = db
          .prepare(`SELECT * FROM chunks WHERE rowid IN (${placeholders(batch.length)})`)
          .all(...batch) as ChunkRow[];
        for (const row of rows) found.set(row.rowid, toChunk(row));
      }
      return found;
    },
    chunkLocations(rowids) {
      const found = new Map<number, { repoId: number; path: string }>();
      for (let start = 0; start < rowids.length; start += BATCH) {
        const batch = rowids.slice(start, start + BATCH);
        const rows = db
          .prepare(`SELECT rowid, repo_id AS repoId, path FROM chunks WHERE rowid IN (${placeholders(batch.length)})`)
          .all(...batch) as { rowid: number; repoId: number; path: string }[];
        for (const row of rows) found.set(row.rowid, { repoId: row.repoId, path: row.path });
      }
      return found;
    },
    chunksNamed(namesLower, repoIds) {
      if (namesLower.length === 0 || repoIds.length === 0) return [];
      // why: `+repo_id` keeps the planner on the name index instead of scanning a whole repository.
      const sql = `SELECT rowid, repo_id AS repoId, path, symbol FROM chunks
        WHERE name_lower IN (${placeholders(namesLower.length)}) AND +repo_id IN (${placeholders(repoIds.length)})`;
      return db.prepare(sql).all(...namesLower, ...repoIds) as NamedChunk[];
    },
    symbolsMatching(globLower, kind, repoIds, limit) {
      if (repoIds.length === 0) return [];
      // why: a qualified name ("cart.total") matches the whole symbol; a bare one uses the name index.
      const column = globLower.includes('.') ? 'lower(symbol)' : 'name_lower';
      const sql = `SELECT * FROM chunks WHERE ${column} GLOB ? AND symbol IS NOT NULL
        AND (? IS NULL OR kind = ?) AND +repo_id IN (${placeholders(repoIds.length)}) ORDER BY length(symbol), path, start_line LIMIT ?`;
      return (db.prepare(sql).all(globLower, kind, kind, ...repoIds, limit) as ChunkRow[]).map(toChunk);
    },
    hasFile(repoId, path) {
      return db.prepare('SELECT 1 FROM files WHERE repo_id = ? AND path = ?').get(repoId, path) !== undefined;
    },
    chunksOfRepos(repoIds) {
      if (repoIds.length === 0) return [];
      const sql = `SELECT rowid, embed_hash AS embedHash FROM chunks WHERE repo_id IN (${placeholders(repoIds.length)}) ORDER BY rowid`;
      return db.prepare(sql).all(...repoIds) as { rowid: number; embedHash: string }[];
    },
    filePaths(repoIds) {
      if (repoIds.length === 0) return [];
      const sql = `SELECT repo_id AS repoId, path FROM files WHERE repo_id IN (${placeholders(repoIds.length)})`;
      return db.prepare(sql).all(...repoIds) as { repoId: number; path: string }[];
    },
    chunksOfFile: (repoId, path) => (statements.chunksOfFile.all(repoId, path) as ChunkRow[]).map(toChunk),
  };
}
