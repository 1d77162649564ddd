export { analyzeQuery, type QueryAnalysis } from './analyze-query.js';
export { codeTokens, identifierParts, pathTokens } from './code-tokens.js';
export { fileRole, type FileRole } from './file-role.js';
export { inflections, withInflections } from './inflections.js';
export { isCommentOnly } from './is-comment-only.js';
export { isImportOnly } from './is-import-only.js';
export { pathHintScores } from './path-hint-scores.js';
export { queryCoverage, type CoveredText } from './query-coverage.js';
export {
  DEFAULT_WEIGHTS,
  rankChunks,
  rankFiles,
  type ChunkEvidence,
  type RankedChunk,
  type RankedFile,
  type RankingWeights,
} from './rank.js';
export { STOPWORDS } from './stopwords.js';
