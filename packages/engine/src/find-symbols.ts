import { ConexusError } from '@conexus/kernel';
import type { SqliteStore } from '@conexus/store-sqlite';
import { pickRepos } from './pick-repos.js';
import type { SearchResult } from './search-index.js';

/** A symbol lookup: an exact name ("Cart.total", "total") or a pattern with `*` wildcards. */
export interface FindSymbolsRequest {
  readonly name: string;
  readonly kind?: string;
  readonly repos?: readonly string[];
  readonly top?: number;
}

/** Finds symbol definitions by name or pattern, shortest (most exact) names first. */
export function findSymbols(store: SqliteStore, request: FindSymbolsRequest): SearchResult[] {
  const name = request.name.trim();
  if (!name || name.length > 200)
    throw new ConexusError('invalid_argument', 'a symbol name of 1 to 200 characters is required');
  const repos = pickRepos(store.repoRows(), request.repos ?? []);
  const names = new Map(repos.map((repo) => [repo.id, repo.name]));
  const glob = name.toLowerCase().replace(/[[?\]]/g, (special) => `[${special}]`);
  const found = store.symbolsMatching(
    glob,
    request.kind || null,
    repos.map((repo) => repo.id),
    request.top ?? 20,
  );
  return found.map((chunk) => ({
    repo: names.get(chunk.repoId) ?? '',
    path: chunk.path,
    startLine: chunk.startLine,
    endLine: chunk.endLine,
    symbol: chunk.symbol,
    kind: chunk.kind,
    score: 1,
    text: chunk.text,
  }));
}
