import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Embedder } from './embedder.js';
import { createOnnxEmbedder } from './onnx-embedder.js';
import { createOpenAiEmbedder } from './openai-embedder.js';
import { ConexusError } from '@conexus/kernel';

/** The default model, chosen by measurement on the localization dev sets (see ARCHITECTURE.md). */
export const DEFAULT_MODEL = 'bge-small-en-v1.5';

/** Where `--embedder auto` looks for the default model: CONEXUS_MODELS_DIR or ~/.cache/conexus/models. */
export function modelsDir(env: NodeJS.ProcessEnv): string {
  return env.CONEXUS_MODELS_DIR || join(homedir(), '.cache', 'conexus', 'models');
}

/** How a local model is run: `threads` caps its ONNX intra-op threads (default: the runtime's choice). */
export interface OpenEmbedderOptions {
  readonly threads?: number;
}

/**
 * Opens the embedder a spec names: `none`; `auto` (the default model if present locally, else none);
 * `http:MODEL` (OpenAI-compatible API at CONEXUS_EMBEDDING_URL); or a model directory or hub id (local ONNX).
 */
export async function openEmbedder(
  spec: string,
  env: NodeJS.ProcessEnv,
  options: OpenEmbedderOptions = {},
): Promise<Embedder | null> {
  if (spec === 'none') return null;
  if (spec === 'auto') {
    const local = join(modelsDir(env), DEFAULT_MODEL);
    return existsSync(join(local, 'config.json')) ? openOnnx(local, options) : null;
  }
  if (spec.startsWith('http:')) {
    const baseUrl = env.CONEXUS_EMBEDDING_URL;
    if (!baseUrl)
      throw new ConexusError(
        'invalid_argument',
        '--embedder http:MODEL needs CONEXUS_EMBEDDING_URL (e.g. http://localhost:11434/v1)',
      );
    return createOpenAiEmbedder({ baseUrl, model: spec.slice(5), apiKey: env.CONEXUS_EMBEDDING_API_KEY });
  }
  if (spec.startsWith('onnx:')) return openOnnx(spec.slice(5), options);
  return openOnnx(spec, options);
}

/** Reopens the embedder recorded with an index (its id), so queries are embedded like the documents were. */
export async function openRecordedEmbedder(
  id: string,
  env: NodeJS.ProcessEnv,
  options: OpenEmbedderOptions = {},
): Promise<Embedder | null> {
  if (id.startsWith('onnx:')) return openOnnx(id.slice(5).replace(/#q8$/, ''), options);
  const http = /^openai:(.+)@(.+)$/.exec(id);
  if (http) return createOpenAiEmbedder({ baseUrl: http[2]!, model: http[1]!, apiKey: env.CONEXUS_EMBEDDING_API_KEY });
  return null;
}

function openOnnx(model: string, { threads }: OpenEmbedderOptions): Promise<Embedder> {
  const name = model.toLowerCase();
  const pooling = /bge|gte|arctic/.test(name) ? 'cls' : 'mean';
  const queryPrefix = /bge/.test(name)
    ? 'Represent this sentence for searching relevant passages: '
    : /e5/.test(name)
      ? 'query: '
      : '';
  const documentPrefix = /e5/.test(name) ? 'passage: ' : '';
  // why: `threads` reaches OnnxEmbedderOptions.threads (ONNX intra-op threads); spread, so a model run without it
  // keeps the runtime's default.
  return createOnnxEmbedder({ model, pooling, queryPrefix, documentPrefix, ...(threads ? { threads } : {}) });
}
