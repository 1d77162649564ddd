export type { Chunk, ChunkKind } from './chunk.js';
export { ConexusError, isErrorCode, type ErrorCode } from './conexus-error.js';
export { contentHash } from './content-hash.js';
export { estimateTokens } from './estimate-tokens.js';
export { showControls, showName } from './show-controls.js';
