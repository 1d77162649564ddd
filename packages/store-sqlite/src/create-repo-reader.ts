import type { PreparedStatements } from './prepare-statements.js';
import type { RedactionRecord, RepoRecord, RepoRow, SqliteStore } from './store-types.js';

/** The store's reads about repositories and their files, skips and redactions. */
export type RepoReader = Pick<
  SqliteStore,
  'listRepos' | 'repoRows' | 'findRepo' | 'knownFiles' | 'skipCounts' | 'redactions'
>;

/** Reads repositories through the store's prepared statements. */
export function createRepoReader(statements: PreparedStatements): RepoReader {
  const toRepoRow = (row: Record<string, unknown>): RepoRow => ({
    id: row.id as number,
    name: row.name as string,
    root: row.root as string,
    commit: row.commit_sha as string | null,
    indexedAt: row.indexed_at as string | null,
    embedder: row.embedder as string | null,
    generation: row.generation as number,
  });
  const repoWithCounts = (row: Record<string, unknown>): RepoRecord => ({
    ...toRepoRow(row),
    files: (statements.countFiles.get(row.id) as number) ?? 0,
    chunks: (statements.countChunks.get(row.id) as number) ?? 0,
    skipped: (statements.countSkips.get(row.id) as number) ?? 0,
  });
  return {
    listRepos: () => (statements.listRepos.all() as Record<string, unknown>[]).map(repoWithCounts),
    repoRows: () => (statements.listRepos.all() as Record<string, unknown>[]).map(toRepoRow),
    findRepo(name) {
      const row = statements.findRepo.get(name) as Record<string, unknown> | undefined;
      return row ? repoWithCounts(row) : null;
    },
    knownFiles(repoId) {
      const rows = statements.filesOfRepo.all(repoId) as {
        path: string;
        size: number;
        mtime_ms: number;
        hash: string;
      }[];
      return new Map(rows.map((row) => [row.path, { size: row.size, mtimeMs: row.mtime_ms, hash: row.hash }]));
    },
    skipCounts(repoId) {
      const rows = statements.skipCounts.all(repoId) as { reason: string; n: number }[];
      return new Map(rows.map((row) => [row.reason, row.n]));
    },
    redactions: (repoId) => statements.redactionsOfRepo.all(repoId) as RedactionRecord[],
  };
}
