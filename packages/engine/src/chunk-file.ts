import { contentHash, type Chunk } from '@conexus/kernel';
import { DEFAULT_CHUNK_LIMITS, lineWindowChunks, type Chunker } from '@conexus/chunking';
import { codeTokens, pathTokens } from '@conexus/retrieval';
import { redactSecrets, type SecretFinding } from '@conexus/secrets';
import type { ChunkWrite } from '@conexus/store-sqlite';
import { embeddingText } from './embedding-text.js';

/** One file ready for the store: its chunks, and the secrets redacted from its text before chunking. */
export interface ChunkedFile {
  readonly writes: ChunkWrite[];
  readonly redactions: readonly SecretFinding[];
}

/** Redacts a file's secrets, then chunks it for the store: deterministic ids, field tokens and embedding hashes. */
export function chunkFile(chunker: Chunker, repo: string, path: string, raw: string): ChunkedFile {
  // why: secrets go before the chunker, search tokens, embeddings or the store see the text, and line for
  // line, so chunk line numbers still match the file; on the chunking threads it costs the writer nothing.
  const { text, findings } = redactSecrets(raw);
  let drafts;
  try {
    drafts = chunker.chunk(path, text);
  } catch {
    // why: one file the parser chokes on must not fail the run; it is still searchable as line windows.
    drafts = lineWindowChunks(path, text, DEFAULT_CHUNK_LIMITS);
  }
  const writes = drafts.map((draft) => {
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
  return { writes, redactions: findings };
}
