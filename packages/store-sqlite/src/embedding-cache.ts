import type Database from 'better-sqlite3';
import { CACHE_SCHEMA, upgradeCache } from './schema.js';
import { openDatabase, type OpenOptions } from './open-database.js';

/** Vectors by content hash and model, so unchanged code is never embedded twice. */
export interface SqliteEmbeddingCache {
  get(model: string, hashes: readonly string[]): Map<string, Float32Array>;
  put(model: string, vectors: ReadonlyMap<string, Float32Array>): void;
  close(): void;
}

/** Opens the embedding cache file of a data directory. */
export function openEmbeddingCache(dataDir: string, options: OpenOptions = {}): SqliteEmbeddingCache {
  const db: Database.Database = openDatabase(dataDir, 'embeddings.db', CACHE_SCHEMA, options, upgradeCache);
  const select = db.prepare('SELECT vector FROM embeddings WHERE model = ? AND hash = ?').pluck();
  const insert = db.prepare('INSERT OR REPLACE INTO embeddings (model, hash, vector) VALUES (?, ?, ?)');
  const putAll = db.transaction((model: string, vectors: ReadonlyMap<string, Float32Array>) => {
    for (const [hash, vector] of vectors)
      insert.run(model, hash, Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
  });
  return {
    get(model, hashes) {
      const found = new Map<string, Float32Array>();
      for (const hash of hashes) {
        const blob = select.get(model, hash) as Buffer | undefined;
        if (blob)
          found.set(hash, new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength)));
      }
      return found;
    },
    put: (model, vectors) => putAll(model, vectors),
    close: () => db.close(),
  };
}
