import type { ChunkKind } from '@conexus/kernel';
import type { StoredChunk } from './store-types.js';

/** A row of the chunks table as SQLite returns it. */
export interface ChunkRow {
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

/** A chunks-table row as the store's chunk. */
export function toChunk(row: ChunkRow): StoredChunk {
  return {
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
  };
}
