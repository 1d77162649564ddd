import type { ChunkKind } from '@conexus/kernel';
import { estimateTokens } from '@conexus/kernel';
import type { ChunkDraft, ChunkLimits } from './chunk-draft.js';
import { fileLines } from './file-lines.js';

/** A run of whole lines (0-based, end exclusive) attributed to a symbol or to no symbol. */
export interface Segment {
  readonly start: number;
  readonly end: number;
  readonly symbol: string | null;
  readonly kind: ChunkKind;
  readonly signature: string | null;
  /** Where the code of a documented symbol starts: the preferred break when the segment must be split. */
  readonly codeStart?: number;
}

/**
 * Fills uncovered lines with text segments, absorbs tiny text into neighbours, splits oversized ones, and renders
 * drafts. `lines` are the file's lines as `fileLines` splits them.
 */
export function segmentsToChunks(
  path: string,
  lines: readonly string[],
  symbolSegments: readonly Segment[],
  limits: ChunkLimits,
): ChunkDraft[] {
  // why: a node that takes in the final newline ends on the row after it; no chunk may point past the last line.
  const sorted = symbolSegments
    .map((segment) => ({ ...segment, end: Math.min(segment.end, lines.length) }))
    .filter((segment) => segment.start < segment.end)
    .sort((a, b) => a.start - b.start);
  const filled: Segment[] = [];
  let cursor = 0;
  for (const segment of sorted) {
    if (segment.start < cursor) continue;
    if (segment.start > cursor) filled.push(textSegment(cursor, segment.start));
    filled.push(segment);
    cursor = segment.end;
  }
  if (cursor < lines.length) filled.push(textSegment(cursor, lines.length));
  const tokens = (segment: Segment): number => estimateTokens(lines.slice(segment.start, segment.end).join('\n'));
  const merged = mergeSmallText(
    filled.filter((segment) => !isBlank(lines, segment)),
    tokens,
    limits,
  );
  return merged
    .flatMap((segment) => splitOversized(segment, lines, limits))
    .map((segment) => ({
      path,
      startLine: segment.start + 1,
      endLine: segment.end,
      symbol: segment.symbol,
      kind: segment.kind,
      signature: segment.signature,
      text: lines.slice(segment.start, segment.end).join('\n'),
    }));
}

/** Splits plain text into line windows bounded by the token limit, preferring breaks at blank lines. */
export function lineWindowChunks(path: string, text: string, limits: ChunkLimits): ChunkDraft[] {
  return segmentsToChunks(path, fileLines(text), [], limits);
}

function textSegment(start: number, end: number): Segment {
  return { start, end, symbol: null, kind: 'text', signature: null };
}

function isBlank(lines: readonly string[], segment: Segment): boolean {
  for (let line = segment.start; line < segment.end; line += 1) if (lines[line]!.trim() !== '') return false;
  return true;
}

function mergeSmallText(segments: Segment[], tokens: (segment: Segment) => number, limits: ChunkLimits): Segment[] {
  const result: Segment[] = [];
  for (const segment of segments) {
    const previous = result[result.length - 1];
    const adjacent = previous !== undefined && previous.end >= segment.start - 1;
    if (previous && adjacent && canAbsorb(previous, segment, tokens, limits)) {
      const owner = previous.kind === 'text' ? segment : previous;
      result[result.length - 1] = { ...owner, start: previous.start, end: segment.end };
    } else {
      result.push(segment);
    }
  }
  return result;
}

function canAbsorb(left: Segment, right: Segment, tokens: (segment: Segment) => number, limits: ChunkLimits): boolean {
  if (left.kind !== 'text' && right.kind !== 'text') return false;
  const textPart = left.kind === 'text' ? left : right;
  const combined = tokens({ ...left, end: right.end });
  if (combined > limits.maxTokens) return false;
  if (left.kind === 'text' && right.kind === 'text') return true;
  return tokens(textPart) < limits.minTokens;
}

function splitOversized(segment: Segment, lines: readonly string[], limits: ChunkLimits): Segment[] {
  const maxChars = limits.maxTokens * 4;
  const { codeStart } = segment;
  // why: when a documented symbol needs several chunks, its docs and its code part where the docs end, so the chunk
  // with its signature and body holds its code (and attributes) only, not whatever tail of the docs the window left.
  if (codeStart !== undefined && codeStart > segment.start && codeStart < segment.end) {
    let total = 0;
    for (let line = segment.start; line < segment.end; line += 1) total += lines[line]!.length + 1;
    if (total > maxChars)
      return [
        ...windows({ ...segment, end: codeStart }, lines, maxChars),
        ...windows({ ...segment, start: codeStart }, lines, maxChars),
      ];
  }
  return windows(segment, lines, maxChars);
}

function windows(segment: Segment, lines: readonly string[], maxChars: number): Segment[] {
  const parts: Segment[] = [];
  let start = segment.start;
  let chars = 0;
  let lastBlank = -1;
  for (let line = segment.start; line < segment.end; line += 1) {
    chars += lines[line]!.length + 1;
    if (lines[line]!.trim() === '') lastBlank = line;
    if (chars > maxChars && line > start) {
      const cut = lastBlank > start + (line - start) / 2 ? lastBlank + 1 : line;
      parts.push({ ...segment, start, end: cut });
      start = cut;
      chars = 0;
      for (let rest = start; rest <= line; rest += 1) chars += lines[rest]!.length + 1;
      lastBlank = -1;
    }
  }
  if (start < segment.end) parts.push({ ...segment, start, end: segment.end });
  return parts;
}
