export { normalize, type Embedder } from './embedder.js';
export { createOnnxEmbedder, type OnnxEmbedderOptions } from './onnx-embedder.js';
export { createOpenAiEmbedder, type OpenAiEmbedderOptions } from './openai-embedder.js';
export {
  DEFAULT_MODEL,
  modelsDir,
  openEmbedder,
  openRecordedEmbedder,
  type OpenEmbedderOptions,
} from './open-embedder.js';
