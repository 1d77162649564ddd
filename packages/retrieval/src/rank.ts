import type { QueryAnalysis } from './analyze-query.js';
import { fileRole } from './file-role.js';

/** Everything retrieval found about one chunk; absent signals are undefined. */
export interface ChunkEvidence {
  readonly rowid: number;
  readonly repoId: number;
  readonly path: string;
  readonly symbol: string | null;
  readonly lexical?: number;
  readonly subjectLexical?: number;
  readonly dense?: number;
  readonly symbolMatch?: number;
  /** A chunk of comments only (a licence header, commented-out code), not code. */
  readonly commentOnly?: boolean;
  /** A chunk of import statements only (a file's `use` block): what a file uses, not what it defines. */
  readonly importOnly?: boolean;
}

/** A scored chunk. */
export interface RankedChunk {
  readonly evidence: ChunkEvidence;
  readonly score: number;
}

/** A scored file with the chunks that support it, best first. */
export interface RankedFile {
  readonly repoId: number;
  readonly path: string;
  readonly score: number;
  readonly chunks: readonly RankedChunk[];
}

/** Tunable weights of the fusion; the defaults were chosen on the localization dev sets. */
export interface RankingWeights {
  readonly lexical: number;
  readonly subjectLexical: number;
  readonly dense: number;
  readonly symbolMatch: number;
  readonly pathHint: number;
  readonly secondaryChunks: number;
  readonly offTopicRole: number;
  /** Factor on a chunk of comments only, so a licence header or commented-out code does not outrank code. */
  readonly commentOnly: number;
  /** Factor on a chunk of imports only: short, it scores high on BM25 for every name it imports. */
  readonly importOnly: number;
  /** Factor on the choosing weight of the inflections of a query word the index lacks (`redeliver` for `redelivered`); 0 leaves them out. */
  readonly inflections: number;
  /** How many of the most informative query terms go to the lexical index. */
  readonly maxQueryTerms: number;
  /** In large indexes, terms found in more than this share of chunks are left out of the lexical query. */
  readonly commonTermShare: number;
}

/** Default fusion weights. */
export const DEFAULT_WEIGHTS: RankingWeights = {
  lexical: 1,
  subjectLexical: 0.5,
  dense: 1,
  symbolMatch: 0.5,
  pathHint: 0.6,
  secondaryChunks: 0.35,
  offTopicRole: 0.6,
  commentOnly: 0.5,
  importOnly: 0.5,
  inflections: 1,
  maxQueryTerms: 40,
  commonTermShare: 1,
};

/** Scores chunks by fusing normalized lexical and dense scores with symbol matches, and the role of their file. */
export function rankChunks(
  evidence: readonly ChunkEvidence[],
  analysis: QueryAnalysis,
  weights: RankingWeights = DEFAULT_WEIGHTS,
): RankedChunk[] {
  const maxLexical = Math.max(0, ...evidence.map((item) => item.lexical ?? 0)) || 1;
  const maxSubject = Math.max(0, ...evidence.map((item) => item.subjectLexical ?? 0)) || 1;
  const denseValues = evidence.map((item) => item.dense).filter((value): value is number => value !== undefined);
  const maxDense = Math.max(...denseValues, 0);
  const floorDense = denseValues.length > 0 ? Math.min(...denseValues) : 0;
  const denseSpan = maxDense - floorDense || 1;
  return evidence
    .map((item) => {
      const lexical = (item.lexical ?? 0) / maxLexical;
      const dense = item.dense === undefined ? 0 : (item.dense - floorDense) / denseSpan;
      const subject = (item.subjectLexical ?? 0) / maxSubject;
      const fused =
        weights.lexical * lexical +
        weights.subjectLexical * subject +
        weights.dense * dense +
        weights.symbolMatch * (item.symbolMatch ?? 0);
      const kind = item.commentOnly ? weights.commentOnly : item.importOnly ? weights.importOnly : 1;
      return { evidence: item, score: fused * kind * roleFactor(item.path, analysis, weights) };
    })
    .sort((a, b) => b.score - a.score);
}

/** Aggregates chunk scores into file scores (best chunk plus a share of the next ones) and adds path hints. */
export function rankFiles(
  chunks: readonly RankedChunk[],
  pathHintScore: (repoId: number, path: string) => number,
  weights: RankingWeights = DEFAULT_WEIGHTS,
): RankedFile[] {
  const byFile = new Map<string, RankedChunk[]>();
  for (const chunk of chunks) {
    const key = `${chunk.evidence.repoId}\0${chunk.evidence.path}`;
    const list = byFile.get(key);
    if (list) list.push(chunk);
    else byFile.set(key, [chunk]);
  }
  const files: RankedFile[] = [];
  for (const list of byFile.values()) {
    const { repoId, path } = list[0]!.evidence;
    const [best, second, third] = list;
    const support = ((second?.score ?? 0) + (third?.score ?? 0) / 2) * weights.secondaryChunks;
    const score = best!.score + support + weights.pathHint * pathHintScore(repoId, path);
    files.push({ repoId, path, score, chunks: list });
  }
  return files.sort((a, b) => b.score - a.score);
}

function roleFactor(path: string, analysis: QueryAnalysis, weights: RankingWeights): number {
  const role = fileRole(path);
  if (role === 'source') return 1;
  if (role === 'test' && analysis.wantsTests) return 1;
  if (role === 'docs' && analysis.wantsDocs) return 1;
  return weights.offTopicRole;
}
