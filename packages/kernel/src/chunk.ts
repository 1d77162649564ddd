/** The kinds of code unit a chunk can stand for; `text` is a line window without a symbol. */
export type ChunkKind =
  'function' | 'method' | 'class' | 'interface' | 'struct' | 'enum' | 'trait' | 'impl' | 'module' | 'type' | 'text';

/** A retrievable piece of one file: a symbol (or part of one) or a line window. Lines are 1-based, inclusive. */
export interface Chunk {
  readonly id: string;
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly symbol: string | null;
  readonly kind: ChunkKind;
  readonly signature: string | null;
  readonly text: string;
}
