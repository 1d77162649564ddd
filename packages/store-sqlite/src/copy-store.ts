import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ConexusError } from '@conexus/kernel';

/** The files that make up a store; the ANN files beside them are derived and rebuilt from the vectors on demand. */
export const STORE_FILES = ['index.db', 'embeddings.db'] as const;

/** Copies the store of `fromDir` into `toDir` while it may be written: SQLite's online backup, one consistent file each. */
export async function copyStore(fromDir: string, toDir: string): Promise<string[]> {
  mkdirSync(toDir, { recursive: true });
  const copied: string[] = [];
  for (const file of STORE_FILES) {
    const source = join(fromDir, file);
    if (!existsSync(source)) continue;
    let db: Database.Database | undefined;
    try {
      db = new Database(source, { readonly: true, fileMustExist: true, timeout: 10_000 });
      await db.backup(join(toDir, file));
    } catch (error) {
      throw new ConexusError('unavailable', `cannot copy the store file ${source}: ${(error as Error).message}`, {
        cause: error,
      });
    } finally {
      db?.close();
    }
    copied.push(file);
  }
  return copied;
}
