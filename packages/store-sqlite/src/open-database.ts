import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ConexusError } from '@conexus/kernel';
import { SCHEMA_VERSION } from './schema.js';

/** How a database is opened: read-write (creating it and applying DDL) or read-only (a search thread beside the writer). */
export interface OpenOptions {
  readonly readonly?: boolean;
}

/** Brings a database written by an older schema version up to date inside a transaction; false when it cannot. */
export type Upgrade = (db: Database.Database, from: number) => boolean;

/** Opens (creating if needed) one SQLite file of the data directory, checks its schema version, upgrades an older one and applies DDL. */
export function openDatabase(
  dataDir: string,
  fileName: string,
  ddl: string,
  options: OpenOptions = {},
  upgrade?: Upgrade,
): Database.Database {
  const path = join(dataDir, fileName);
  let db: Database.Database;
  try {
    if (options.readonly) {
      db = new Database(path, { readonly: true, fileMustExist: true, timeout: 10_000 });
      db.pragma('cache_size = -65536');
    } else {
      mkdirSync(dataDir, { recursive: true });
      db = new Database(path, { timeout: 10_000 });
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('cache_size = -65536');
      db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    }
  } catch (error) {
    throw new ConexusError('incompatible_store', `cannot open the store at ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
  const version = row ? Number(row.value) : SCHEMA_VERSION;
  const applySchema = (): void => {
    db.exec(ddl);
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)").run(String(SCHEMA_VERSION));
  };
  // why: an upgrade, the new DDL and the new version land together or not at all.
  const upgraded =
    version < SCHEMA_VERSION &&
    upgrade !== undefined &&
    !options.readonly &&
    db.transaction((): boolean => {
      if (!upgrade(db, version)) return false;
      applySchema();
      return true;
    })();
  if (version !== SCHEMA_VERSION && !upgraded) {
    db.close();
    throw new ConexusError(
      'incompatible_store',
      `the store at ${path} has schema version ${row?.value}, this build reads ${SCHEMA_VERSION}; use another --data-dir`,
    );
  }
  if (!options.readonly && !upgraded) applySchema();
  return db;
}
