import type { Chunk } from '@conexus/kernel';

/** The run of adjacent chunks of one symbol around `line`, joined; null when the symbol is a single chunk. */
export function contiguousSymbol(
  chunks: readonly Chunk[],
  symbol: string,
  line: number,
): { startLine: number; endLine: number; text: string } | null {
  const parts = chunks.filter((chunk) => chunk.symbol === symbol).sort((a, b) => a.startLine - b.startLine);
  const at = parts.findIndex((chunk) => chunk.startLine <= line && line <= chunk.endLine);
  if (at < 0) return null;
  let first = at;
  let last = at;
  while (first > 0 && parts[first - 1]!.endLine + 1 >= parts[first]!.startLine) first -= 1;
  while (last < parts.length - 1 && parts[last]!.endLine + 1 >= parts[last + 1]!.startLine) last += 1;
  if (first === last) return null;
  const run = parts.slice(first, last + 1);
  const text = run.map((chunk) => (chunk.text.endsWith('\n') ? chunk.text : `${chunk.text}\n`)).join('');
  return { startLine: run[0]!.startLine, endLine: run.at(-1)!.endLine, text };
}
