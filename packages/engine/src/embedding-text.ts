import type { Chunk } from '@conexus/kernel';

/** The text embedded for a chunk: where it lives and what it is, then the code. */
export function embeddingText(chunk: Pick<Chunk, 'path' | 'symbol' | 'text'>): string {
  return `${chunk.path}${chunk.symbol ? ` ${chunk.symbol}` : ''}\n${chunk.text}`;
}
