import { ConexusError, type ChunkKind } from '@conexus/kernel';
import type { Embedder } from '@conexus/embedding';
import {
  analyzeQuery,
  pathHintScores,
  rankChunks,
  rankFiles,
  DEFAULT_WEIGHTS,
  type ChunkEvidence,
  type QueryAnalysis,
  type RankedFile,
  type RankingWeights,
  isCommentOnly,
  isImportOnly,
  queryCoverage,
  withInflections,
} from '@conexus/retrieval';
import { repoReader, type ReadScope } from '@conexus/access';
import type { RepoRow, SqliteStore, StoredChunk } from '@conexus/store-sqlite';
import { contiguousSymbol } from './contiguous-symbol.js';
import { pickRepos } from './pick-repos.js';
import type { VectorMatrix } from './vector-matrix.js';
import { withinDeadline } from './within-deadline.js';

/** The unit a search ranks and returns. */
export type ResultUnit = 'chunk' | 'symbol' | 'file';

/** A search question. */
export interface SearchRequest {
  readonly query: string;
  readonly repos?: readonly string[];
  readonly unit?: ResultUnit;
  readonly top?: number;
  /** What the caller may read; chunks outside it never enter the ranking. Absent: everything. */
  readonly scope?: ReadScope;
  /** Keep only paths that start with one of these. */
  readonly pathPrefixes?: readonly string[];
  /** When the caller stops waiting, in milliseconds since the epoch: a search not started by then is not started. */
  readonly deadline?: number;
  /** Also return the whole of each symbol result that is split into several chunks (see `expansion`). */
  readonly expand?: boolean;
}

/** One ranked result; `text` is absent for file results. */
export interface SearchResult {
  readonly repo: string;
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly symbol: string | null;
  readonly kind: ChunkKind | 'file';
  readonly score: number;
  readonly text?: string;
  /** With `expand`: the whole symbol when this result is one of several chunks of it. */
  readonly expansion?: { readonly startLine: number; readonly endLine: number; readonly text: string };
}

/** Ranked results and the time the search took. */
export interface SearchResponse {
  readonly results: SearchResult[];
  readonly tookMs: number;
}

/** Collaborators of a search. */
export interface SearchDeps {
  readonly store: SqliteStore;
  readonly embedder: Embedder | null;
  readonly vectors: (repos: readonly RepoRow[], embedder: Embedder) => VectorMatrix;
  readonly filePaths: (repos: readonly RepoRow[]) => readonly { repoId: number; path: string }[];
  readonly weights?: RankingWeights;
}

const COMMON_TERM_MIN_DOCS = 200;
const LEXICAL_CANDIDATES = 300;
const DENSE_CANDIDATES = 200;
const MAX_HINTED_FILES = 20;
/** How many of the best chunks the score calibration reads, and its floor (a search with no lexical match at all). */
const COVERAGE_CHUNKS = 5;
const MIN_COVERAGE = 0.01;
/** How much deeper candidate lists go when the caller's scope or path prefixes leave out part of a repository. */
const RESTRICTED_DEPTH = 10;

/** Answers a question with ranked chunks, symbols or files from the named (or all) repositories. */
export async function searchIndex(deps: SearchDeps, request: SearchRequest): Promise<SearchResponse> {
  const started = performance.now();
  if (request.deadline !== undefined && Date.now() >= request.deadline)
    throw new ConexusError('deadline_exceeded', 'the search ran out of time before it started');
  const repos = resolveRepos(deps.store, request.repos ?? []);
  const unit = request.unit ?? 'chunk';
  const top = request.top ?? 10;
  const analysis = analyzeQuery(request.query);
  const repoIds = repos.map((repo) => repo.id);
  const evidence = new Map<number, Partial<ChunkEvidence>>();
  const note = (rowid: number, signal: Partial<ChunkEvidence>): void => {
    evidence.set(rowid, { ...evidence.get(rowid), ...signal });
  };

  const repoNames = new Map(repos.map((repo) => [repo.id, repo.name]));
  const prefixes = request.pathPrefixes ?? [];
  const restricted = (request.scope && !request.scope.everything) || prefixes.length > 0;
  const readers = new Map<number, (path: string) => boolean>();
  const readable = (repoId: number, path: string): boolean => {
    if (!request.scope) return true;
    let reader = readers.get(repoId);
    if (!reader) readers.set(repoId, (reader = repoReader(request.scope, repoNames.get(repoId) ?? '')));
    return reader(path);
  };
  // why: out-of-scope files and chunks are dropped before ranking, so they are never counted, normalized against or returned.
  const admitted = (repoId: number, path: string): boolean =>
    readable(repoId, path) && (prefixes.length === 0 || prefixes.some((prefix) => path.startsWith(prefix)));
  // why: with a restricted scope, candidates are drawn from a deeper list and only admitted ones kept, so a caller
  // who may read a small part of a large repository still gets the full number of candidates from that part.
  const depth = restricted ? RESTRICTED_DEPTH : 1;
  const admittedFirst = <T extends { rowid: number }>(hits: readonly T[], limit: number): readonly T[] => {
    if (!restricted) return hits;
    const located = deps.store.chunkLocations(hits.map((hit) => hit.rowid));
    return hits
      .filter((hit) => {
        const chunk = located.get(hit.rowid);
        return chunk !== undefined && admitted(chunk.repoId, chunk.path);
      })
      .slice(0, limit);
  };

  const weights = deps.weights ?? DEFAULT_WEIGHTS;
  // why: one look-up of the document frequencies of the question's words and their inflections serves both lexical
  // queries and the score calibration (the first line's words are among the question's).
  const vocabulary = deps.store.termDocCounts([...withInflections(analysis.terms).keys()]);
  const documentCount = Math.max(1, deps.store.chunkCount());
  const lexical = (terms: ReadonlyMap<string, number>) =>
    admittedFirst(
      lexicalHits(deps.store, { vocabulary, documentCount }, terms, repoIds, weights, LEXICAL_CANDIDATES * depth),
      LEXICAL_CANDIDATES,
    );
  for (const hit of lexical(analysis.terms)) note(hit.rowid, { lexical: hit.score });
  if (weights.subjectLexical > 0 && analysis.subjectTerms.size > 0) {
    for (const hit of lexical(analysis.subjectTerms)) note(hit.rowid, { subjectLexical: hit.score });
  }
  for (const [rowid, score] of symbolMatches(deps.store, analysis, repoIds)) note(rowid, { symbolMatch: score });
  const denseRepos = deps.embedder ? repos.filter((repo) => repo.embedder === deps.embedder!.id) : [];
  if (deps.embedder && denseRepos.length > 0 && request.query.trim()) {
    // why: a remote embedder may take far longer than the caller waits.
    const queryVector = await withinDeadline(
      deps.embedder.embedQuery(request.query),
      request.deadline,
      'embedding the query',
    );
    const matrix = deps.vectors(denseRepos, deps.embedder);
    for (const hit of admittedFirst(matrix.nearest(queryVector, DENSE_CANDIDATES * depth), DENSE_CANDIDATES))
      note(hit.rowid, { dense: hit.similarity });
  }
  // why: hints are scored over the cached file list (a path's score depends on that path alone), and only hinted
  // files are checked against the scope, not every file of the repositories on every request.
  const hinted = hintedFiles(deps.store, analysis, deps.filePaths(repos), restricted ? admitted : () => true);
  for (const chunk of hinted.chunks) if (!evidence.has(chunk.rowid)) note(chunk.rowid, {});

  const chunks = deps.store.chunksByRowid([...evidence.keys()]);
  const complete: ChunkEvidence[] = [];
  for (const [rowid, signals] of evidence) {
    const chunk = chunks.get(rowid);
    if (chunk && admitted(chunk.repoId, chunk.path))
      complete.push({
        ...signals,
        rowid,
        repoId: chunk.repoId,
        path: chunk.path,
        symbol: chunk.symbol,
        commentOnly: chunk.kind === 'text' && isCommentOnly(chunk.text),
        importOnly: chunk.kind === 'text' && isImportOnly(chunk.text),
      });
  }
  const rankedChunks = rankChunks(complete, analysis, weights);
  // why: scores are normalized within one store, whose best hit scores alike however weak it is; scaled by how much
  // of the question that store's best chunks cover, they compare across stores (shards) and one repository's weak
  // best hit no longer outranks another's right answer. One factor per search keeps the order within the store.
  const coverage = queryCoverage(
    analysis.terms,
    vocabulary,
    documentCount,
    rankedChunks.slice(0, COVERAGE_CHUNKS).map((item) => chunks.get(item.evidence.rowid)!),
  );
  const calibrated = (score: number): number => round(score * Math.max(coverage, MIN_COVERAGE));
  const render = (rowid: number, score: number): SearchResult => {
    const chunk = chunks.get(rowid)!;
    return { ...chunkResult(chunk, repoNames), score: calibrated(score) };
  };
  let results: SearchResult[];
  if (unit === 'chunk') {
    results = rankedChunks.slice(0, top).map((item) => render(item.evidence.rowid, item.score));
  } else {
    const rankedFiles = rankFiles(
      rankedChunks,
      (repoId, path) => hinted.scores.get(`${repoId}\0${path}`) ?? 0,
      weights,
    );
    results =
      unit === 'file'
        ? fileResults(rankedFiles, chunks, repoNames, top, calibrated)
        : symbolResults(rankedChunks, chunks, repoNames, top, calibrated);
  }
  if (request.expand && unit !== 'file') results = withExpansions(deps.store, results, repos);
  return { results, tookMs: Math.round((performance.now() - started) * 100) / 100 };
}

// why: expanding reads every chunk of a result's file; done here, it runs on the search thread, not the caller's.
function withExpansions(
  store: SqliteStore,
  results: readonly SearchResult[],
  repos: readonly RepoRow[],
): SearchResult[] {
  const repoIds = new Map(repos.map((repo) => [repo.name, repo.id]));
  const files = new Map<string, StoredChunk[]>();
  return results.map((result) => {
    const repoId = repoIds.get(result.repo);
    if (!result.symbol || repoId === undefined) return result;
    const key = `${repoId}\0${result.path}`;
    let chunks = files.get(key);
    if (!chunks) files.set(key, (chunks = store.chunksOfFile(repoId, result.path)));
    const expansion = contiguousSymbol(chunks, result.symbol, result.startLine);
    return expansion ? { ...result, expansion } : result;
  });
}

function resolveRepos(store: SqliteStore, names: readonly string[]): RepoRow[] {
  const all = store.repoRows();
  if (names.length === 0 && all.length === 0)
    throw new ConexusError('failed_precondition', 'nothing is indexed yet: run `conexus index <dir>` first');
  return pickRepos(all, names);
}

function lexicalHits(
  store: SqliteStore,
  { vocabulary, documentCount }: { vocabulary: ReadonlyMap<string, number>; documentCount: number },
  queryTerms: ReadonlyMap<string, number>,
  repoIds: readonly number[],
  weights: RankingWeights,
  limit: number,
) {
  // why: a question's word that the index lacks matches its inflections (`redelivered` finds `redeliver`); only forms
  // the index holds count. Words it holds keep to themselves: adding their forms too blurred rankings on the dev sets.
  const expanded = weights.inflections > 0 ? withInflections(queryTerms, (term) => !vocabulary.has(term)) : queryTerms;
  const chosen = [...expanded.keys()]
    .map((term) => [term, vocabulary.get(term) ?? 0] as const)
    .filter(([, docs]) => docs > 0)
    // why: very common terms barely move BM25 but make FTS5 score most of a large index (off by default).
    .filter(([, docs]) => docs < COMMON_TERM_MIN_DOCS || docs / documentCount <= weights.commonTermShare)
    .map(([term, docs]) => ({
      term,
      weight:
        Math.log(1 + documentCount / docs) *
        (1 + Math.log(expanded.get(term) ?? 1)) *
        (queryTerms.has(term) ? 1 : weights.inflections),
    }))
    .sort((a, b) => b.weight - a.weight)
    .slice(0, weights.maxQueryTerms);
  if (chosen.length === 0) return [];
  const match = chosen.map(({ term }) => `"${term}"`).join(' OR ');
  return store.searchLexical(match, repoIds, limit, { symbol: 3, path: 2, body: 1 });
}

function symbolMatches(store: SqliteStore, analysis: QueryAnalysis, repoIds: readonly number[]): Map<number, number> {
  const names = [...new Set(analysis.identifiers.map((identifier) => identifier.toLowerCase()))];
  const matches = store.chunksNamed(names, repoIds);
  const definitions = new Map<string, Set<string>>();
  for (const chunk of matches) {
    const name = (chunk.symbol ?? '').split('.').pop()!.toLowerCase();
    definitions.set(name, (definitions.get(name) ?? new Set()).add(`${chunk.repoId}:${chunk.path}:${chunk.symbol}`));
  }
  const scores = new Map<number, number>();
  for (const chunk of matches) {
    const name = (chunk.symbol ?? '').split('.').pop()!.toLowerCase();
    // why: a name defined in many places (`__init__`, `get`) says little about which one is meant.
    scores.set(chunk.rowid, 1 / (1 + Math.log(definitions.get(name)!.size)));
  }
  return scores;
}

function hintedFiles(
  store: SqliteStore,
  analysis: QueryAnalysis,
  files: readonly { repoId: number; path: string }[],
  admitted: (repoId: number, path: string) => boolean,
) {
  const scores = new Map<string, number>();
  const chunks: StoredChunk[] = [];
  if (analysis.pathHints.length === 0 && analysis.identifiers.length === 0) return { scores, chunks };
  const byPath = pathHintScores(analysis, files);
  const ranked = files
    .filter((file) => byPath.has(file.path) && admitted(file.repoId, file.path))
    .sort((a, b) => byPath.get(b.path)! - byPath.get(a.path)!)
    .slice(0, MAX_HINTED_FILES);
  for (const file of ranked) {
    scores.set(`${file.repoId}\0${file.path}`, byPath.get(file.path)!);
    chunks.push(...store.chunksOfFile(file.repoId, file.path).slice(0, 1));
  }
  return { scores, chunks };
}

function chunkResult(chunk: StoredChunk, repoNames: ReadonlyMap<number, string>): Omit<SearchResult, 'score'> {
  return {
    repo: repoNames.get(chunk.repoId) ?? '',
    path: chunk.path,
    startLine: chunk.startLine,
    endLine: chunk.endLine,
    symbol: chunk.symbol,
    kind: chunk.kind,
    text: chunk.text,
  };
}

function fileResults(
  files: readonly RankedFile[],
  chunks: ReadonlyMap<number, StoredChunk>,
  repoNames: ReadonlyMap<number, string>,
  top: number,
  score: (raw: number) => number,
): SearchResult[] {
  return files.slice(0, top).map((file) => {
    const best = chunks.get(file.chunks[0]!.evidence.rowid)!;
    return {
      repo: repoNames.get(file.repoId) ?? '',
      path: file.path,
      startLine: best.startLine,
      endLine: best.endLine,
      symbol: best.symbol,
      kind: 'file',
      score: score(file.score),
    };
  });
}

function symbolResults(
  ranked: ReturnType<typeof rankChunks>,
  chunks: ReadonlyMap<number, StoredChunk>,
  repoNames: ReadonlyMap<number, string>,
  top: number,
  score: (raw: number) => number,
): SearchResult[] {
  const seen = new Map<string, SearchResult>();
  for (const item of ranked) {
    const chunk = chunks.get(item.evidence.rowid)!;
    if (!chunk.symbol) continue;
    const key = `${chunk.repoId}\0${chunk.path}\0${chunk.symbol}`;
    if (seen.has(key)) continue;
    seen.set(key, { ...chunkResult(chunk, repoNames), score: score(item.score) });
    if (seen.size >= top) break;
  }
  return [...seen.values()];
}

// why: calibrated scores are small (a share of a share); six digits keep their order, so a merge keeps it too.
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
