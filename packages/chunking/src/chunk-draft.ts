import type { Chunk } from '@conexus/kernel';

/** A chunk before the indexer gives it an id. */
export type ChunkDraft = Omit<Chunk, 'id'>;

/** Size bounds of chunks, in estimated tokens. */
export interface ChunkLimits {
  readonly maxTokens: number;
  readonly minTokens: number;
}

/** Defaults sized for embedding models with a 512-token window. */
export const DEFAULT_CHUNK_LIMITS: ChunkLimits = { maxTokens: 400, minTokens: 40 };
