import type { IndexSummary, SearchResponse } from '@conexus/engine';

const SNIPPET_LINES = 6;

// why: names and code come from indexed repositories anyone may have written; a control character that reached the
// terminal could recolour it, move the cursor, set its title or, as a newline, forge a result line. C0, DEL, C1
// (CSI 0x9b included), the Unicode line separators and the bidi overrides are all shown as escapes instead.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
const NEEDS_QUOTES = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069"\\]/u;
const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Renders search results for a terminal: rank, `path:lines symbol`, score and a short snippet. */
export function formatResults(response: SearchResponse, showRepo: boolean): string {
  if (response.results.length === 0) return `no results (${response.tookMs} ms)\n`;
  const blocks = response.results.map((result, rank) => {
    const where = `${showRepo ? `${showName(result.repo)}:` : ''}${showName(result.path)}:${result.startLine}-${result.endLine}`;
    const head = `${String(rank + 1).padStart(2)}. ${where}${result.symbol ? `  ${showName(result.symbol)}` : ''}  (${result.score})`;
    if (!result.text) return head;
    const lines = result.text.split('\n');
    const snippet = lines.slice(0, SNIPPET_LINES).map((line) => `      ${showCode(line.slice(0, 160))}`);
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

// why: like git's quoted paths, a name is printed as it is unless it needs escapes; then it is quoted, and its quotes
// and backslashes escaped too, so `a\nb` the file name and a-newline-b never print alike.
function showName(name: string): string {
  if (!NEEDS_QUOTES.test(name)) return name;
  return `"${name.replace(/["\\]/g, '\\$&').replace(CONTROLS, escapeControl)}"`;
}

// why: code keeps its tabs and backslashes (they are harmless and common); every other control character is shown.
function showCode(line: string): string {
  return line.replace(CONTROLS, (char) => (char === '\t' ? char : escapeControl(char)));
}

function escapeControl(char: string): string {
  return SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
