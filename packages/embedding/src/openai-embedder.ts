import { ConexusError } from '@conexus/kernel';
import { normalize, type Embedder } from './embedder.js';

/** Settings of an OpenAI-compatible `/embeddings` endpoint (OpenAI, Ollama, vLLM, TEI, Voyage). */
export interface OpenAiEmbedderOptions {
  readonly baseUrl: string;
  readonly model: string;
  readonly apiKey?: string;
  readonly batchSize?: number;
  readonly queryPrefix?: string;
  readonly documentPrefix?: string;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

interface EmbeddingsResponse {
  data?: { index?: number; embedding?: number[] }[];
}

/** Embeds through an OpenAI-compatible HTTP API. */
export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Embedder {
  const endpoint = `${options.baseUrl.replace(/\/+$/, '')}/embeddings`;
  const batchSize = options.batchSize ?? 64;
  const doFetch = options.fetch ?? fetch;

  async function embedBatch(input: readonly string[]): Promise<Float32Array[]> {
    let response: Response;
    try {
      response = await doFetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: options.model, input }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
      });
    } catch (error) {
      throw new ConexusError(
        'unavailable',
        `embedding endpoint ${endpoint} is unreachable: ${(error as Error).message}`,
      );
    }
    if (!response.ok) {
      throw new ConexusError('unavailable', `embedding endpoint ${endpoint} answered ${response.status}`);
    }
    const body = (await response.json()) as EmbeddingsResponse;
    const data = body.data ?? [];
    if (data.length !== input.length) {
      throw new ConexusError(
        'unavailable',
        `embedding endpoint returned ${data.length} vectors for ${input.length} inputs`,
      );
    }
    return [...data]
      .sort((a, b) => (a.index ?? 0) - (b.index ?? 0))
      .map((item) => normalize(Float32Array.from(item.embedding ?? [])));
  }

  return {
    id: `openai:${options.model}@${options.baseUrl}`,
    async embedDocuments(texts) {
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        const batch = texts.slice(start, start + batchSize).map((text) => (options.documentPrefix ?? '') + text);
        vectors.push(...(await embedBatch(batch)));
      }
      return vectors;
    },
    async embedQuery(text) {
      const [vector] = await embedBatch([(options.queryPrefix ?? '') + text]);
      return vector!;
    },
    close: async () => undefined,
  };
}
