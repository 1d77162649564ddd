/** A ranked item from one shard. */
export interface ScoredItem {
  readonly score: number;
  readonly repo: string;
  readonly path: string;
  readonly startLine: number;
}

/**
 * Merges per-shard ranked lists into one top-k list, highest score first, ties in a stable order. Scores compare
 * across shards because each shard's search calibrates them by how much of the question its best chunks cover.
 */
export function mergeByScore<T extends ScoredItem>(lists: readonly (readonly T[])[], top: number): T[] {
  return lists
    .flat()
    .sort(
      (a, b) => b.score - a.score || compare(a.repo, b.repo) || compare(a.path, b.path) || a.startLine - b.startLine,
    )
    .slice(0, top);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
