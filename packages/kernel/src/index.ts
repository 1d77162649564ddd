export type { Chunk, ChunkKind } from './chunk.js';
export { ConexusError, type ErrorCode } from './conexus-error.js';
export { contentHash } from './content-hash.js';
