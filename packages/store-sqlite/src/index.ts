export { openEmbeddingCache, type SqliteEmbeddingCache } from './embedding-cache.js';
export { openSqliteStore } from './sqlite-store.js';
export type {
  ChunkTerms,
  ChunkWrite,
  FieldWeights,
  FileRecord,
  LexicalHit,
  NamedChunk,
  RedactionRecord,
  RepoRecord,
  RepoRow,
  SnapshotWriter,
  SqliteStore,
  StoredChunk,
} from './store-types.js';
export { SCHEMA_VERSION } from './schema.js';
export type { OpenOptions } from './open-database.js';
export { copyStore, STORE_FILES } from './copy-store.js';
