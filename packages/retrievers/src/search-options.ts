import type { SearchResult } from '@conexus/api';
import { RESULT_UNITS } from '@conexus/client';

/** What a retriever asks the gateway: where it is, and how to search. */
export interface ConexusRetrieverOptions {
  /** The gateway, e.g. http://127.0.0.1:7420 for `conexus serve`. */
  readonly url: string;
  /** A bearer token, for gateways with authentication. */
  readonly token?: string;
  readonly repos?: readonly string[];
  readonly unit?: 'chunk' | 'symbol' | 'file';
  /** Results per query (default 8). */
  readonly topK?: number;
  /** Token budget for the returned code; 0 means none (default 0). */
  readonly maxTokens?: number;
}

/** Metadata every retrieved document carries. */
export interface CodeMetadata {
  repo: string;
  path: string;
  start_line: number;
  end_line: number;
  symbol: string | null;
  kind: string;
  score: number;
  commit: string;
  [key: string]: unknown;
}

/** The search request a retriever sends for one query. */
export function searchRequest(options: ConexusRetrieverOptions, query: string) {
  return {
    query,
    repos: [...(options.repos ?? [])],
    unit: RESULT_UNITS[options.unit ?? 'chunk'],
    topK: options.topK ?? 8,
    maxTokens: options.maxTokens ?? 0,
  };
}

/** The metadata of one result. */
export function codeMetadata(result: SearchResult): CodeMetadata {
  return {
    repo: result.repo,
    path: result.path,
    start_line: result.startLine,
    end_line: result.endLine,
    symbol: result.symbol || null,
    kind: result.kind,
    score: result.score,
    commit: result.commit,
  };
}

/** A stable id for a result: repo, path and line range. */
export function resultId(result: SearchResult): string {
  return `${result.repo}/${result.path}:${result.startLine}-${result.endLine}`;
}
