export { openEmbeddingCache, type SqliteEmbeddingCache } from './embedding-cache.js';
export {
  openSqliteStore,
  type ChunkTerms,
  type ChunkWrite,
  type FieldWeights,
  type FileRecord,
  type LexicalHit,
  type NamedChunk,
  type RepoRecord,
  type RepoRow,
  type SnapshotWriter,
  type SqliteStore,
  type StoredChunk,
} from './sqlite-store.js';
export { SCHEMA_VERSION } from './schema.js';
