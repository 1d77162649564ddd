import type Database from 'better-sqlite3';
import { placeholders } from './placeholders.js';
import type { PreparedStatements } from './prepare-statements.js';
import type { LexicalHit, SqliteStore } from './store-types.js';

/** The store's full-text reads: BM25 matches, document frequencies and the chunk count. */
export type LexicalReader = Pick<SqliteStore, 'searchLexical' | 'termDocCounts' | 'chunkCount'>;

/** Reads the full-text index, caching document frequencies until another snapshot commits. */
export function createLexicalReader(db: Database.Database, statements: PreparedStatements): LexicalReader {
  // why: document frequencies only change when a snapshot commits; looking them up costs more than the search.
  const docCounts = new Map<string, number>();
  let docCountsGeneration: string | undefined;
  return {
    searchLexical(match, repoIds, limit, weights) {
      if (repoIds.length === 0) return [];
      const w = [weights.symbol, weights.path, weights.body];
      // why: most searches cover every repository of a shard; then the join that filters by repository,
      // a third of the query's cost, can go.
      if (new Set(repoIds).size === (statements.repoCount.get() as number)) {
        return statements.searchAllRepos.all(...w, match, limit) as LexicalHit[];
      }
      // why: scoring inside a materialized CTE keeps SQLite from probing the full-text index once per chunk row.
      const sql = `WITH hits AS MATERIALIZED (
          SELECT rowid, -bm25(chunks_fts, ?, ?, ?) AS score FROM chunks_fts WHERE chunks_fts MATCH ?
        )
        SELECT hits.rowid AS rowid, hits.score AS score FROM hits JOIN chunks c ON c.rowid = hits.rowid
        WHERE c.repo_id IN (${placeholders(repoIds.length)})
        ORDER BY hits.score DESC, hits.rowid LIMIT ?`;
      return db.prepare(sql).all(...w, match, ...repoIds, limit) as LexicalHit[];
    },
    termDocCounts(terms) {
      // why: another connection (a second process) may have committed since the frequencies were cached.
      const generation = statements.currentGeneration.get() as string | undefined;
      if (generation !== docCountsGeneration) {
        docCounts.clear();
        docCountsGeneration = generation;
      }
      const counts = new Map<string, number>();
      for (const term of terms) {
        let doc = docCounts.get(term);
        if (doc === undefined) {
          doc = (statements.termDocs.get(term) as number | undefined) ?? 0;
          docCounts.set(term, doc);
        }
        if (doc > 0) counts.set(term, doc);
      }
      return counts;
    },
    chunkCount: () => statements.countAllChunks.get() as number,
  };
}
