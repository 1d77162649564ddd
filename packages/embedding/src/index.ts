export { normalize, type Embedder } from './embedder.js';
export { createOnnxEmbedder, type OnnxEmbedderOptions } from './onnx-embedder.js';
export { tokenBatches, type BatchLimits } from './token-batches.js';
export { tokenizeTexts, type IdTokenizer } from './tokenize-texts.js';
export { createOpenAiEmbedder, type OpenAiEmbedderOptions } from './openai-embedder.js';
export {
  DEFAULT_MODEL,
  modelsDir,
  openEmbedder,
  openRecordedEmbedder,
  type OpenEmbedderOptions,
} from './open-embedder.js';
