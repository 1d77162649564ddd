import { contentHash, type Chunk } from '@conexus/kernel';
import { DEFAULT_CHUNK_LIMITS, lineWindowChunks, type Chunker } from '@conexus/chunking';
import { codeTokens, pathTokens } from '@conexus/retrieval';
import type { ChunkWrite } from '@conexus/store-sqlite';
import { embeddingText } from './embedding-text.js';

/** Chunks one file and prepares each chunk for the store: deterministic id, field tokens and embedding hash. */
export function chunkFile(chunker: Chunker, repo: string, path: string, text: string): ChunkWrite[] {
  let drafts;
  try {
    drafts = chunker.chunk(path, text);
  } catch {
    // why: one file the parser chokes on must not fail the run; it is still searchable as line windows.
    drafts = lineWindowChunks(path, text, DEFAULT_CHUNK_LIMITS);
  }
  return drafts.map((draft) => {
    const chunk: Chunk = {
      ...draft,
      // why: ids depend only on what the chunk is, so a repeated or redelivered run writes the same ids.
      id: contentHash(repo, draft.path, String(draft.startLine), String(draft.endLine), draft.symbol ?? '', draft.text),
    };
    return {
      chunk,
      embedHash: contentHash(embeddingText(chunk)),
      terms: {
        symbol: codeTokens(`${chunk.symbol ?? ''} ${chunk.signature ?? ''}`).join(' '),
        path: pathTokens(chunk.path).join(' '),
        body: codeTokens(chunk.text).join(' '),
      },
    };
  });
}
