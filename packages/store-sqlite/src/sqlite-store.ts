import { createChunkReader } from './create-chunk-reader.js';
import { createLexicalReader } from './create-lexical-reader.js';
import { createRepoReader } from './create-repo-reader.js';
import { createRepoWriter } from './create-repo-writer.js';
import { openDatabase, type OpenOptions } from './open-database.js';
import { prepareStatements } from './prepare-statements.js';
import { INDEX_SCHEMA, upgradeIndex } from './schema.js';
import type { SqliteStore } from './store-types.js';

/** Opens the index database of a data directory. */
export function openSqliteStore(dataDir: string, options: OpenOptions = {}): SqliteStore {
  const db = openDatabase(dataDir, 'index.db', INDEX_SCHEMA, options, upgradeIndex);
  const statements = prepareStatements(db);
  const writer = createRepoWriter(db, statements);
  return {
    ...createRepoReader(statements),
    beginSnapshot: writer.beginSnapshot,
    setEmbedder: writer.setEmbedder,
    removeRepo: writer.removeRepo,
    ...createLexicalReader(db, statements),
    ...createChunkReader(db, statements),
    close() {
      if (writer.writing) db.exec('ROLLBACK');
      db.close();
    },
  };
}
