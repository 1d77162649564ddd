import type Database from 'better-sqlite3';
import type { ChunkKind } from '@conexus/kernel';
import { ConexusError } from '@conexus/kernel';
import { openDatabase, type OpenOptions } from './open-database.js';
import { prepareStatements } from './prepare-statements.js';
import { INDEX_SCHEMA, upgradeIndex } from './schema.js';
import type { LexicalHit, NamedChunk, RedactionRecord, RepoRecord, RepoRow, SqliteStore, StoredChunk } from './store-types.js';

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
export function openSqliteStore(dataDir: string, options: OpenOptions = {}): SqliteStore {
  const db: Database.Database = openDatabase(dataDir, 'index.db', INDEX_SCHEMA, options, upgradeIndex);
  const statements = prepareStatements(db);
  let writing = false;
  // why: document frequencies only change when a snapshot commits; looking them up costs more than the search.
  const docCounts = new Map<string, number>();
  let docCountsGeneration: string | undefined;
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
    statements.deleteRedactionsOfFile.run(repoId, path);
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
    redactions: (repoId) => statements.redactionsOfRepo.all(repoId) as RedactionRecord[],
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
      };
      return {
        repoId: id,
        putFile(file, chunks, redactions = []) {
          deleteFileRows(id, file.path);
          statements.upsertFile.run(id, file.path, file.hash, file.size, file.mtimeMs, file.language);
          for (const { line, rule } of redactions) statements.insertRedaction.run(id, file.path, line, rule);
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
      db.transaction(() => {
        nextGeneration();
        for (const rowid of statements.chunkRowidsOfRepo.all(repo.id) as number[]) statements.deleteFts.run(rowid);
        for (const table of ['chunks', 'files', 'skips', 'redactions']) db.prepare(`DELETE FROM ${table} WHERE repo_id = ?`).run(repo.id);
        db.prepare('DELETE FROM repos WHERE id = ?').run(repo.id);
      })();
      return true;
    },
    searchLexical(match, repoIds, limit, weights) {
      if (repoIds.length === 0) return [];
      const w = [weights.symbol, weights.path, weights.body];
      // why: most searches cover every repository of a shard; then the join that filters by repository,
      // a third of the query's cost, can go.
      if (new Set(repoIds).size === (statements.repoCount.get() as number)) {
        return statements.searchAllRepos.all(...w, match, limit) as LexicalHit[];
      }
      // why: scoring inside a materialized CTE keeps SQLite from probing the full-text index once per chunk row.
      const sql = `WITH hits AS MATERIALIZED (
          SELECT rowid, -bm25(chunks_fts, ?, ?, ?) AS score FROM chunks_fts WHERE chunks_fts MATCH ?
        )
        SELECT hits.rowid AS rowid, hits.score AS score FROM hits JOIN chunks c ON c.rowid = hits.rowid
        WHERE c.repo_id IN (${placeholders(repoIds.length)})
        ORDER BY hits.score DESC, hits.rowid LIMIT ?`;
      return db.prepare(sql).all(...w, match, ...repoIds, limit) as LexicalHit[];
    },
    termDocCounts(terms) {
      // why: another connection (a second process) may have committed since the frequencies were cached.
      const generation = statements.currentGeneration.get() as string | undefined;
      if (generation !== docCountsGeneration) {
        docCounts.clear();
        docCountsGeneration = generation;
      }
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
    chunkLocations(rowids) {
      const found = new Map<number, { repoId: number; path: string }>();
      for (let start = 0; start < rowids.length; start += 500) {
        const batch = rowids.slice(start, start + 500);
        const rows = db.prepare(`SELECT rowid, repo_id AS repoId, path FROM chunks WHERE rowid IN (${placeholders(batch.length)})`).all(...batch) as { rowid: number; repoId: number; path: string }[];
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
    close() {
      if (writing) db.exec('ROLLBACK');
      db.close();
    },
  };
}
