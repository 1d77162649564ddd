import { contentHash, type Chunk } from '@conexus/kernel';
import type { Chunker } from '@conexus/chunking';
import { codeTokens, pathTokens } from '@conexus/retrieval';
import type { ChunkWrite } from '@conexus/store-sqlite';
import { embeddingText } from './embedding-text.js';

/** Chunks one file and prepares each chunk for the store: deterministic id, field tokens and embedding hash. */
export function chunkFile(chunker: Chunker, repo: string, path: string, text: string): ChunkWrite[] {
  return chunker.chunk(path, text).map((draft) => {
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
