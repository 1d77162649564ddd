import type Database from 'better-sqlite3';
import type { Chunk, ChunkKind } from '@conexus/kernel';
import { ConexusError } from '@conexus/kernel';
import { openDatabase } from './open-database.js';
import { INDEX_SCHEMA } from './schema.js';

/** One indexed repository as the store records it. */
export interface RepoRow {
  readonly id: number;
  readonly name: string;
  readonly root: string;
  readonly commit: string | null;
  readonly indexedAt: string | null;
  readonly embedder: string | null;
  readonly generation: number;
}

/** A repository with its file, chunk and skip counts. */
export interface RepoRecord extends RepoRow {
  readonly files: number;
  readonly chunks: number;
  readonly skipped: number;
}

/** A chunk as stored: the chunk plus its repository, row and the hash its embedding is cached under. */
export interface StoredChunk extends Chunk {
  readonly rowid: number;
  readonly repoId: number;
  readonly embedHash: string;
}

/** Where a symbol chunk is: enough to match names without reading its text. */
export interface NamedChunk {
  readonly rowid: number;
  readonly repoId: number;
  readonly path: string;
  readonly symbol: string | null;
}

/** Pre-tokenized text of a chunk's three searchable fields (space-separated tokens). */
export interface ChunkTerms {
  readonly symbol: string;
  readonly path: string;
  readonly body: string;
}

/** BM25 weight of each searchable field. */
export interface FieldWeights {
  readonly symbol: number;
  readonly path: number;
  readonly body: number;
}

/** A chunk to write, with its tokens and the hash of the text that is embedded for it. */
export interface ChunkWrite {
  readonly chunk: Chunk;
  readonly terms: ChunkTerms;
  readonly embedHash: string;
}

/** A file's identity for change detection. */
export interface FileRecord {
  readonly path: string;
  readonly hash: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly language: string | null;
}

/** Writes one repository snapshot inside a single transaction: all of it lands, or none of it. */
export interface SnapshotWriter {
  readonly repoId: number;
  putFile(file: FileRecord, chunks: readonly ChunkWrite[]): void;
  touchFile(file: FileRecord): void;
  deleteFile(path: string): void;
  recordSkip(path: string, reason: string): void;
  commit(snapshot: { commit: string | null; embedder: string | null }): void;
  rollback(): void;
}

/** A lexical match: the chunk row and its BM25 score (higher is better). */
export interface LexicalHit {
  readonly rowid: number;
  readonly score: number;
}

/** The embedded index store of a data directory. */
export interface SqliteStore {
  listRepos(): RepoRecord[];
  findRepo(name: string): RepoRecord | null;
  /** Repositories without counts: cheap enough for every search. */
  repoRows(): RepoRow[];
  knownFiles(repoId: number): Map<string, { size: number; mtimeMs: number; hash: string }>;
  skipCounts(repoId: number): Map<string, number>;
  beginSnapshot(name: string, root: string): SnapshotWriter;
  removeRepo(name: string): boolean;
  /** Records the embedder whose vectors are now complete for a repository. */
  setEmbedder(repoId: number, embedder: string | null): void;
  searchLexical(match: string, repoIds: readonly number[], limit: number, weights: FieldWeights): LexicalHit[];
  termDocCounts(terms: readonly string[]): Map<string, number>;
  chunkCount(): number;
  chunksByRowid(rowids: readonly number[]): Map<number, StoredChunk>;
  chunksNamed(namesLower: readonly string[], repoIds: readonly number[]): NamedChunk[];
  chunksOfRepos(repoIds: readonly number[]): { rowid: number; embedHash: string }[];
  filePaths(repoIds: readonly number[]): { repoId: number; path: string }[];
  chunksOfFile(repoId: number, path: string): StoredChunk[];
  close(): void;
}

interface ChunkRow {
  rowid: number;
  id: string;
  repo_id: number;
  path: string;
  start_line: number;
  end_line: number;
  symbol: string | null;
  kind: string;
  signature: string | null;
  text: string;
  embed_hash: string;
}

const toChunk = (row: ChunkRow): StoredChunk => ({
  rowid: row.rowid,
  id: row.id,
  repoId: row.repo_id,
  path: row.path,
  startLine: row.start_line,
  endLine: row.end_line,
  symbol: row.symbol,
  kind: row.kind as ChunkKind,
  signature: row.signature,
  text: row.text,
  embedHash: row.embed_hash,
});

const placeholders = (count: number): string => new Array(count).fill('?').join(',');

/** Opens the index database of a data directory. */
export function openSqliteStore(dataDir: string): SqliteStore {
  const db: Database.Database = openDatabase(dataDir, 'index.db', INDEX_SCHEMA);
  const statements = prepareStatements(db);
  let writing = false;
  // why: document frequencies only change when a snapshot commits; looking them up costs more than the search.
  const docCounts = new Map<string, number>();
  // why: generations come from one store-wide counter, so caches keyed on them never confuse a removed
  // repository with a new one.
  const nextGeneration = (): number => statements.bumpGeneration.get() as number;

  const toRepoRow = (row: Record<string, unknown>): RepoRow => ({
    id: row.id as number,
    name: row.name as string,
    root: row.root as string,
    commit: row.commit_sha as string | null,
    indexedAt: row.indexed_at as string | null,
    embedder: row.embedder as string | null,
    generation: row.generation as number,
  });
  const repoWithCounts = (row: Record<string, unknown>): RepoRecord => ({
    ...toRepoRow(row),
    files: (statements.countFiles.get(row.id) as number) ?? 0,
    chunks: (statements.countChunks.get(row.id) as number) ?? 0,
    skipped: (statements.countSkips.get(row.id) as number) ?? 0,
  });

  const deleteFileRows = (repoId: number, path: string): void => {
    for (const rowid of statements.chunkRowidsOfFile.all(repoId, path) as number[]) statements.deleteFts.run(rowid);
    statements.deleteChunksOfFile.run(repoId, path);
  };

  return {
    listRepos: () => (statements.listRepos.all() as Record<string, unknown>[]).map(repoWithCounts),
    repoRows: () => (statements.listRepos.all() as Record<string, unknown>[]).map(toRepoRow),
    findRepo(name) {
      const row = statements.findRepo.get(name) as Record<string, unknown> | undefined;
      return row ? repoWithCounts(row) : null;
    },
    knownFiles(repoId) {
      const rows = statements.filesOfRepo.all(repoId) as { path: string; size: number; mtime_ms: number; hash: string }[];
      return new Map(rows.map((row) => [row.path, { size: row.size, mtimeMs: row.mtime_ms, hash: row.hash }]));
    },
    skipCounts(repoId) {
      const rows = statements.skipCounts.all(repoId) as { reason: string; n: number }[];
      return new Map(rows.map((row) => [row.reason, row.n]));
    },
    beginSnapshot(name, root) {
      if (writing) throw new ConexusError('failed_precondition', 'another index run is writing to this store');
      try {
        db.exec('BEGIN IMMEDIATE');
      } catch (error) {
        throw new ConexusError('unavailable', `the store is busy (another process is indexing): ${(error as Error).message}`);
      }
      writing = true;
      statements.upsertRepo.run(name, root);
      const repoId = statements.findRepo.get(name) as { id: number };
      const id = repoId.id;
      statements.clearSkips.run(id);
      const finish = (sql: 'COMMIT' | 'ROLLBACK'): void => {
        if (!writing) return;
        // why: SQLite may already have rolled back on its own (disk full, I/O error); a second ROLLBACK would hide why.
        if (db.inTransaction) db.exec(sql);
        writing = false;
        docCounts.clear();
      };
      return {
        repoId: id,
        putFile(file, chunks) {
          deleteFileRows(id, file.path);
          statements.upsertFile.run(id, file.path, file.hash, file.size, file.mtimeMs, file.language);
          for (const { chunk, terms, embedHash } of chunks) {
            const nameLower = chunk.symbol ? (chunk.symbol.split('.').pop() ?? chunk.symbol).toLowerCase() : null;
            const info = statements.insertChunk.run(
              chunk.id, id, chunk.path, chunk.startLine, chunk.endLine, chunk.symbol, nameLower,
              chunk.kind, chunk.signature, chunk.text, embedHash,
            );
            statements.insertFts.run(info.lastInsertRowid, terms.symbol, terms.path, terms.body);
          }
        },
        touchFile: (file) => statements.upsertFile.run(id, file.path, file.hash, file.size, file.mtimeMs, file.language),
        deleteFile(path) {
          deleteFileRows(id, path);
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
    },
    setEmbedder(repoId, embedder) {
      db.transaction(() => statements.setEmbedder.run(embedder, nextGeneration(), repoId))();
    },
    removeRepo(name) {
      if (writing) throw new ConexusError('failed_precondition', 'cannot remove a repository while an index run is writing');
      const repo = statements.findRepo.get(name) as { id: number } | undefined;
      if (!repo) return false;
      docCounts.clear();
      nextGeneration();
      db.transaction(() => {
        for (const rowid of statements.chunkRowidsOfRepo.all(repo.id) as number[]) statements.deleteFts.run(rowid);
        for (const table of ['chunks', 'files', 'skips']) db.prepare(`DELETE FROM ${table} WHERE repo_id = ?`).run(repo.id);
        db.prepare('DELETE FROM repos WHERE id = ?').run(repo.id);
      })();
      return true;
    },
    searchLexical(match, repoIds, limit, weights) {
      if (repoIds.length === 0) return [];
      // why: scoring inside a materialized CTE keeps SQLite from probing the full-text index once per chunk row.
      const sql = `WITH hits AS MATERIALIZED (
          SELECT rowid, -bm25(chunks_fts, ?, ?, ?) AS score FROM chunks_fts WHERE chunks_fts MATCH ?
        )
        SELECT hits.rowid AS rowid, hits.score AS score FROM hits JOIN chunks c ON c.rowid = hits.rowid
        WHERE c.repo_id IN (${placeholders(repoIds.length)})
        ORDER BY hits.score DESC LIMIT ?`;
      const w = [weights.symbol, weights.path, weights.body];
      return db.prepare(sql).all(...w, match, ...repoIds, limit) as LexicalHit[];
    },
    termDocCounts(terms) {
      const counts = new Map<string, number>();
      for (const term of terms) {
        let doc = docCounts.get(term);
        if (doc === undefined) {
          doc = (statements.termDocs.get(term) as number | undefined) ?? 0;
          docCounts.set(term, doc);
        }
        if (doc > 0) counts.set(term, doc);
      }
      return counts;
    },
    chunkCount: () => statements.countAllChunks.get() as number,
    chunksByRowid(rowids) {
      const found = new Map<number, StoredChunk>();
      for (let start = 0; start < rowids.length; start += 500) {
        const batch = rowids.slice(start, start + 500);
        const rows = db.prepare(`SELECT * FROM chunks WHERE rowid IN (${placeholders(batch.length)})`).all(...batch) as ChunkRow[];
        for (const row of rows) found.set(row.rowid, toChunk(row));
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
    close() {
      if (writing) db.exec('ROLLBACK');
      db.close();
    },
  };
}

function prepareStatements(db: Database.Database) {
  return {
    listRepos: db.prepare('SELECT * FROM repos ORDER BY name'),
    findRepo: db.prepare('SELECT * FROM repos WHERE name = ?'),
    countFiles: db.prepare('SELECT count(*) FROM files WHERE repo_id = ?').pluck(),
    countChunks: db.prepare('SELECT count(*) FROM chunks WHERE repo_id = ?').pluck(),
    countAllChunks: db.prepare('SELECT count(*) FROM chunks').pluck(),
    termDocs: db.prepare('SELECT doc FROM chunks_vocab WHERE term = ?').pluck(),
    countSkips: db.prepare('SELECT count(*) FROM skips WHERE repo_id = ?').pluck(),
    skipCounts: db.prepare('SELECT reason, count(*) AS n FROM skips WHERE repo_id = ? GROUP BY reason'),
    filesOfRepo: db.prepare('SELECT path, size, mtime_ms, hash FROM files WHERE repo_id = ?'),
    upsertRepo: db.prepare(
      'INSERT INTO repos (name, root) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET root = excluded.root',
    ),
    finishRepo: db.prepare('UPDATE repos SET commit_sha = ?, indexed_at = ?, embedder = ?, generation = ? WHERE id = ?'),
    setEmbedder: db.prepare('UPDATE repos SET embedder = ?, generation = ? WHERE id = ?'),
    bumpGeneration: db.prepare(
      "INSERT INTO meta (key, value) VALUES ('generation', '1') ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1 RETURNING CAST(value AS INTEGER) AS value",
    ).pluck(),
    clearSkips: db.prepare('DELETE FROM skips WHERE repo_id = ?'),
    insertSkip: db.prepare('INSERT OR REPLACE INTO skips (repo_id, path, reason) VALUES (?, ?, ?)'),
    upsertFile: db.prepare(
      'INSERT OR REPLACE INTO files (repo_id, path, hash, size, mtime_ms, language) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    deleteFile: db.prepare('DELETE FROM files WHERE repo_id = ? AND path = ?'),
    chunkRowidsOfFile: db.prepare('SELECT rowid FROM chunks WHERE repo_id = ? AND path = ?').pluck(),
    chunkRowidsOfRepo: db.prepare('SELECT rowid FROM chunks WHERE repo_id = ?').pluck(),
    chunksOfFile: db.prepare('SELECT * FROM chunks WHERE repo_id = ? AND path = ? ORDER BY start_line'),
    deleteChunksOfFile: db.prepare('DELETE FROM chunks WHERE repo_id = ? AND path = ?'),
    deleteFts: db.prepare('DELETE FROM chunks_fts WHERE rowid = ?'),
    insertChunk: db.prepare(
      `INSERT INTO chunks (id, repo_id, path, start_line, end_line, symbol, name_lower, kind, signature, text, embed_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertFts: db.prepare('INSERT INTO chunks_fts (rowid, symbol, path, body) VALUES (?, ?, ?, ?)'),
  };
}
