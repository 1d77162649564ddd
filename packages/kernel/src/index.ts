export type { Chunk, ChunkKind } from './chunk.js';
export { ConexusError, ERROR_CODES, isErrorCode, type ErrorCode } from './conexus-error.js';
export { contentHash } from './content-hash.js';
