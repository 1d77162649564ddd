import { createRequire } from 'node:module';
import { Language, Parser } from 'web-tree-sitter';
import type { ChunkKind } from '@conexus/kernel';
import { DEFAULT_CHUNK_LIMITS, type ChunkDraft, type ChunkLimits } from './chunk-draft.js';
import { fileLines } from './file-lines.js';
import { extractSymbols, type SymbolInfo, type SymbolKind } from './extract-symbols.js';
import { GRAMMAR_WASM, languageForPath, type LanguageId } from './languages.js';
import { lineWindowChunks, segmentsToChunks, type Segment } from './line-segments.js';

/** Splits a file into symbol-aware chunks (tree-sitter) or line windows (other text, parse failures). */
export interface Chunker {
  chunk(path: string, text: string): ChunkDraft[];
  languageOf(path: string): string | null;
}

const CHUNK_KIND: Readonly<Record<SymbolKind, ChunkKind>> = {
  function: 'function',
  method: 'method',
  class: 'class',
  struct: 'struct',
  interface: 'interface',
  enum: 'enum',
  trait: 'trait',
  impl: 'impl',
  module: 'module',
  namespace: 'module',
  type: 'type',
  union: 'struct',
  record: 'class',
  macro: 'function',
};
const CONTAINERS = new Set<ChunkKind>(['class', 'struct', 'interface', 'enum', 'trait', 'impl', 'module']);
const MAX_PARSE_CHARS = 2_000_000;
// why: a symbol's chunk starts with its doc comment, attributes and decorators; its signature is the line after them.
const LEADING_LINE = /^(@|\/\/|\/\*|\*|#|\[)/;

/** Loads every grammar once and returns a synchronous chunker. */
export async function createChunker(limits: ChunkLimits = DEFAULT_CHUNK_LIMITS): Promise<Chunker> {
  const require = createRequire(import.meta.url);
  await Parser.init();
  const parsers = new Map<LanguageId, Parser>();
  for (const [language, wasm] of Object.entries(GRAMMAR_WASM) as [LanguageId, string][]) {
    parsers.set(language, new Parser().setLanguage(await Language.load(require.resolve(wasm))));
  }
  return {
    languageOf: (path) => languageForPath(path),
    chunk(path, text) {
      const language = languageForPath(path);
      const parser = language ? parsers.get(language) : undefined;
      if (!parser || !language || text.length > MAX_PARSE_CHARS) return lineWindowChunks(path, text, limits);
      const symbols = parseSymbols(parser, language, text);
      if (symbols === null) return lineWindowChunks(path, text, limits);
      return segmentsToChunks(path, fileLines(text), symbolSegments(symbols, text), limits);
    },
  };
}

function parseSymbols(parser: Parser, language: LanguageId, text: string): SymbolInfo[] | null {
  let tree;
  try {
    tree = parser.parse(text);
  } catch {
    return null;
  }
  if (!tree) return null;
  try {
    return extractSymbols(tree.rootNode, language);
  } finally {
    // why: trees live in WebAssembly memory that is never collected; without this it grows to 2 GiB.
    tree.delete();
  }
}

/** Turns nested symbols into non-overlapping segments: containers keep their own lines, members get theirs. */
function symbolSegments(symbols: readonly SymbolInfo[], text: string): Segment[] {
  const lines = text.split('\n');
  const segments: Segment[] = [];
  const ordered = [...symbols].sort((a, b) => a.startRow - b.startRow || b.endRow - a.endRow);
  let coveredUntil = -1;
  let index = 0;
  const emitRange = (symbol: SymbolInfo, start: number, end: number): void => {
    if (end > start) {
      segments.push({
        start,
        end,
        symbol: symbol.qualifiedName,
        kind: CHUNK_KIND[symbol.kind],
        signature: signatureOf(lines, symbol),
        ...(start === symbol.startRow && symbol.codeRow > start ? { codeStart: symbol.codeRow } : {}),
      });
    }
  };
  const take = (symbol: SymbolInfo): void => {
    const end = symbol.endRow + 1;
    const kind = CHUNK_KIND[symbol.kind];
    const members: SymbolInfo[] = [];
    index += 1;
    while (index < ordered.length && ordered[index]!.startRow <= symbol.endRow) {
      const inner = ordered[index]!;
      if (CONTAINERS.has(kind) && inner.startRow > symbol.startRow) {
        members.push(inner);
        take(inner);
      } else {
        index += 1;
      }
    }
    if (members.length === 0) {
      emitRange(symbol, symbol.startRow, end);
      return;
    }
    let cursor = symbol.startRow;
    for (const member of members) {
      emitRange(symbol, cursor, member.startRow);
      cursor = Math.max(cursor, member.endRow + 1);
    }
    emitRange(symbol, cursor, end);
  };
  while (index < ordered.length) {
    const symbol = ordered[index]!;
    if (symbol.startRow <= coveredUntil) {
      index += 1;
      continue;
    }
    take(symbol);
    coveredUntil = symbol.endRow;
  }
  return segments;
}

function signatureOf(lines: readonly string[], symbol: SymbolInfo): string {
  for (let row = symbol.startRow; row <= symbol.endRow; row += 1) {
    const line = lines[row]!.trim();
    if (line && !LEADING_LINE.test(line)) return line.slice(0, 200);
  }
  return lines[symbol.startRow]!.trim().slice(0, 200);
}
