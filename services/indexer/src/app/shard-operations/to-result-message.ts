import { create } from '@bufbuild/protobuf';
import { SearchResultSchema, type SearchResult as SearchResultMessage } from '@conexus/api';
import type { SearchResult } from '@conexus/engine';

/** An engine result as the API's message, labelled with its repository's indexed commit. */
export function toResultMessage(result: SearchResult, commit: string): SearchResultMessage {
  return create(SearchResultSchema, {
    repo: result.repo,
    path: result.path,
    startLine: result.startLine,
    endLine: result.endLine,
    symbol: result.symbol ?? '',
    kind: result.kind,
    score: result.score,
    text: result.text ?? '',
    commit,
  });
}
