export { normalize, type Embedder } from './embedder.js';
export { createOnnxEmbedder, type OnnxEmbedderOptions } from './onnx-embedder.js';
export { createOpenAiEmbedder, type OpenAiEmbedderOptions } from './openai-embedder.js';
