export { DEFAULT_CHUNK_LIMITS, type ChunkDraft, type ChunkLimits } from './chunk-draft.js';
export { createChunker, type Chunker } from './create-chunker.js';
export { fileLines } from './file-lines.js';
export { extractSymbols, type SymbolInfo, type SymbolKind } from './extract-symbols.js';
export { GRAMMAR_WASM, languageForPath, type LanguageId } from './languages.js';
export { lineWindowChunks } from './line-segments.js';
