import type { DenseSummary, IndexSummary, SearchResponse } from '@conexus/engine';
import { showControls, showName } from '@conexus/kernel';

const SNIPPET_LINES = 6;

/** Renders search results for a terminal: rank, `path:lines symbol`, score and a short snippet. */
export function formatResults(response: SearchResponse, showRepo: boolean): string {
  if (response.results.length === 0) return `no results (${response.tookMs} ms)\n`;
  const blocks = response.results.map((result, rank) => {
    const where = `${showRepo ? `${showName(result.repo)}:` : ''}${showName(result.path)}:${result.startLine}-${result.endLine}`;
    const head = `${String(rank + 1).padStart(2)}. ${where}${result.symbol ? `  ${showName(result.symbol)}` : ''}  (${Number(result.score.toFixed(3))})`;
    if (!result.text) return head;
    const lines = result.text.split('\n');
    const snippet = lines.slice(0, SNIPPET_LINES).map((line) => `      ${showControls(line.slice(0, 160), '\t')}`);
    if (lines.length > SNIPPET_LINES) snippet.push(`      … ${lines.length - SNIPPET_LINES} more lines`);
    return [head, ...snippet].join('\n');
  });
  return `${blocks.join('\n')}\n(${response.results.length} results, ${response.tookMs} ms)\n`;
}

/**
 * Renders an index summary: files seen, indexed and skipped by reason, chunks and time; `dense` is what its
 * background embedding did, once it settled (null while it has not, or without an embedder).
 */
export function formatSummary(summary: IndexSummary, dense: DenseSummary | null = null): string {
  const skipped = Object.entries(summary.skipped)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  // why: the dense phase's own count is the whole of it; the summary's fields predate the background phase.
  const embedded = dense?.embedded ?? summary.embedded;
  const embedSeconds = dense?.seconds ?? summary.embedSeconds;
  return [
    `indexed ${showName(summary.repo)}${summary.commit ? ` at ${summary.commit.slice(0, 12)}` : ''}`,
    `  files: ${summary.filesSeen} seen, ${summary.filesIndexed} indexed, ${summary.filesUnchanged} unchanged, ${summary.filesDeleted} deleted`,
    `  skipped: ${skipped || 'none'}`,
    `  chunks: ${summary.chunks} (${summary.chunksWritten} written, ${embedded} embedded)`,
    `  time: ${summary.seconds.toFixed(2)} s${embedded ? ` (embedding ${embedSeconds.toFixed(2)} s)` : ''}`,
    ...(dense && !dense.complete ? ['  vectors: stopped before the end; the lexical index is searchable'] : []),
    '',
  ].join('\n');
}

/** An index summary as plain JSON: the background embedding's outcome in place of its promise. */
export function summaryJson(summary: IndexSummary, dense: DenseSummary | null): Record<string, unknown> {
  return { ...summary, dense };
}
