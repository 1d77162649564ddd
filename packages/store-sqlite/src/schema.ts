/** Bumped whenever the on-disk layout changes; an older store is upgraded (see the upgrade functions), a newer one refused. */
// why: 3 added redactions; an older store also holds chunk text from before secrets were redacted.
export const SCHEMA_VERSION = 4;

/** DDL of the index database (repos, files, skips, redactions, chunks and their full-text index). */
export const INDEX_SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS repos (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  root TEXT NOT NULL,
  commit_sha TEXT,
  indexed_at TEXT,
  embedder TEXT,
  generation INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS files (
  repo_id INTEGER NOT NULL,
  path TEXT NOT NULL,
  hash TEXT NOT NULL,
  size INTEGER NOT NULL,
  mtime_ms REAL NOT NULL,
  language TEXT,
  PRIMARY KEY (repo_id, path)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS skips (
  repo_id INTEGER NOT NULL,
  path TEXT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (repo_id, path)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS redactions (
  repo_id INTEGER NOT NULL,
  path TEXT NOT NULL,
  line INTEGER NOT NULL,
  rule TEXT NOT NULL,
  PRIMARY KEY (repo_id, path, line, rule)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS chunks (
  rowid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  repo_id INTEGER NOT NULL,
  path TEXT NOT NULL,
  start_line INTEGER NOT NULL,
  end_line INTEGER NOT NULL,
  symbol TEXT,
  name_lower TEXT,
  kind TEXT NOT NULL,
  signature TEXT,
  text TEXT NOT NULL,
  embed_hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_by_file ON chunks (repo_id, path);
CREATE INDEX IF NOT EXISTS chunks_by_name ON chunks (name_lower);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5 (
  symbol, path, body,
  content = '', contentless_delete = 1,
  tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_vocab USING fts5vocab (chunks_fts, 'row');
`;

/** DDL of the embedding cache, kept in its own file so it survives a rolled-back snapshot. */
export const CACHE_SCHEMA = `
CREATE TABLE IF NOT EXISTS embeddings (
  model TEXT NOT NULL,
  hash TEXT NOT NULL,
  vector BLOB NOT NULL,
  PRIMARY KEY (model, hash)
) WITHOUT ROWID;
`;

/**
 * Upgrades an index from version 2 (chunks before secret redaction) or 3 (before unterminated key blocks and secrets
 * in paths were redacted, and with chunks that could end past the last line): every file is dropped and re-read.
 */
export function upgradeIndex(db: { exec(sql: string): unknown }, from: number): boolean {
  if (from !== 2 && from !== 3) return false;
  // why: the repositories stay registered (name and root) but forget their files and commit, so the next index run
  // re-reads, re-redacts and re-chunks everything; until then they answer nothing rather than unredacted text.
  // Their generation is drawn from the store-wide counter, like every commit's, so caches never see one twice.
  db.exec(`
    DELETE FROM chunks;
    INSERT INTO chunks_fts (chunks_fts) VALUES ('delete-all');
    DELETE FROM files;
    DELETE FROM skips;
    INSERT INTO meta (key, value) VALUES ('generation', '1') ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1;
    UPDATE repos SET commit_sha = NULL, indexed_at = NULL, generation = (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'generation');
  `);
  return true;
}

/** The embedding cache's layout did not change since version 2: vectors are keyed by content hash, so it upgrades as it is. */
export function upgradeCache(_db: unknown, from: number): boolean {
  return from === 2 || from === 3;
}
