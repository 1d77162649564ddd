import type { IndexSummary, SearchResponse } from '@conexus/engine';
import { showControls, showName } from '@conexus/kernel';

const SNIPPET_LINES = 6;

/** Renders search results for a terminal: rank, `path:lines symbol`, score and a short snippet. */
export function formatResults(response: SearchResponse, showRepo: boolean): string {
  if (response.results.length === 0) return `no results (${response.tookMs} ms)\n`;
  const blocks = response.results.map((result, rank) => {
    const where = `${showRepo ? `${showName(result.repo)}:` : ''}${showName(result.path)}:${result.startLine}-${result.endLine}`;
    const head = `${String(rank + 1).padStart(2)}. ${where}${result.symbol ? `  ${showName(result.symbol)}` : ''}  (${result.score})`;
    if (!result.text) return head;
    const lines = result.text.split('\n');
    const snippet = lines.slice(0, SNIPPET_LINES).map((line) => `      ${showControls(line.slice(0, 160), '\t')}`);
    if (lines.length > SNIPPET_LINES) snippet.push(`      … ${lines.length - SNIPPET_LINES} more lines`);
    return [head, ...snippet].join('\n');
  });
  return `${blocks.join('\n')}\n(${response.results.length} results, ${response.tookMs} ms)\n`;
}

/** Renders an index summary: files seen, indexed and skipped by reason, chunks and time. */
export function formatSummary(summary: IndexSummary): string {
  const skipped = Object.entries(summary.skipped)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  return [
    `indexed ${showName(summary.repo)}${summary.commit ? ` at ${summary.commit.slice(0, 12)}` : ''}`,
    `  files: ${summary.filesSeen} seen, ${summary.filesIndexed} indexed, ${summary.filesUnchanged} unchanged, ${summary.filesDeleted} deleted`,
    `  skipped: ${skipped || 'none'}`,
    `  chunks: ${summary.chunks} (${summary.chunksWritten} written, ${summary.embedded} embedded)`,
    `  time: ${summary.seconds.toFixed(2)} s${summary.embedded ? ` (embedding ${summary.embedSeconds.toFixed(2)} s)` : ''}`,
    '',
  ].join('\n');
}
