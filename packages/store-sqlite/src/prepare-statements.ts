import type Database from 'better-sqlite3';

type StatementName =
  | 'currentGeneration'
  | 'listRepos'
  | 'repoCount'
  | 'searchAllRepos'
  | 'findRepo'
  | 'countFiles'
  | 'countChunks'
  | 'countAllChunks'
  | 'termDocs'
  | 'countSkips'
  | 'skipCounts'
  | 'filesOfRepo'
  | 'upsertRepo'
  | 'finishRepo'
  | 'setEmbedder'
  | 'bumpGeneration'
  | 'clearSkips'
  | 'insertSkip'
  | 'insertRedaction'
  | 'deleteRedactionsOfFile'
  | 'redactionsOfRepo'
  | 'upsertFile'
  | 'deleteFile'
  | 'chunkRowidsOfFile'
  | 'chunkRowidsOfRepo'
  | 'chunksOfFile'
  | 'deleteChunksOfFile'
  | 'deleteFts'
  | 'insertChunk'
  | 'insertFts';

/** The store's prepared statements, by name. */
export type PreparedStatements = Record<StatementName, Database.Statement>;

/** Every statement the store runs more than once, prepared once per connection. */
export function prepareStatements(db: Database.Database): PreparedStatements {
  return {
    listRepos: db.prepare('SELECT * FROM repos ORDER BY name'),
    repoCount: db.prepare('SELECT count(*) FROM repos').pluck(),
    searchAllRepos: db.prepare(
      'SELECT rowid, -bm25(chunks_fts, ?, ?, ?) AS score FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY score DESC, rowid LIMIT ?',
    ),
    findRepo: db.prepare('SELECT * FROM repos WHERE name = ?'),
    countFiles: db.prepare('SELECT count(*) FROM files WHERE repo_id = ?').pluck(),
    countChunks: db.prepare('SELECT count(*) FROM chunks WHERE repo_id = ?').pluck(),
    countAllChunks: db.prepare('SELECT count(*) FROM chunks').pluck(),
    currentGeneration: db.prepare("SELECT value FROM meta WHERE key = 'generation'").pluck(),
    termDocs: db.prepare('SELECT doc FROM chunks_vocab WHERE term = ?').pluck(),
    countSkips: db.prepare('SELECT count(*) FROM skips WHERE repo_id = ?').pluck(),
    skipCounts: db.prepare('SELECT reason, count(*) AS n FROM skips WHERE repo_id = ? GROUP BY reason'),
    filesOfRepo: db.prepare('SELECT path, size, mtime_ms, hash FROM files WHERE repo_id = ?'),
    upsertRepo: db.prepare(
      'INSERT INTO repos (name, root) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET root = excluded.root',
    ),
    finishRepo: db.prepare(
      'UPDATE repos SET commit_sha = ?, indexed_at = ?, embedder = ?, generation = ? WHERE id = ?',
    ),
    setEmbedder: db.prepare('UPDATE repos SET embedder = ?, generation = ? WHERE id = ?'),
    bumpGeneration: db
      .prepare(
        "INSERT INTO meta (key, value) VALUES ('generation', '1') ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1 RETURNING CAST(value AS INTEGER) AS value",
      )
      .pluck(),
    clearSkips: db.prepare('DELETE FROM skips WHERE repo_id = ?'),
    insertSkip: db.prepare('INSERT OR REPLACE INTO skips (repo_id, path, reason) VALUES (?, ?, ?)'),
    insertRedaction: db.prepare('INSERT OR IGNORE INTO redactions (repo_id, path, line, rule) VALUES (?, ?, ?, ?)'),
    deleteRedactionsOfFile: db.prepare('DELETE FROM redactions WHERE repo_id = ? AND path = ?'),
    redactionsOfRepo: db.prepare('SELECT path, line, rule FROM redactions WHERE repo_id = ? ORDER BY path, line, rule'),
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
