import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Embedder } from './embedder.js';
import { createOpenAiEmbedder } from './openai-embedder.js';
import { DEFAULT_MODEL, modelsDir, openEmbedder } from './open-embedder.js';

// why: the contract runs against a real model; `.ci/run` installs it with `npm run model:fetch`.
const modelDir = join(modelsDir(process.env), DEFAULT_MODEL);
const haveModel = existsSync(join(modelDir, 'config.json'));
if (!haveModel) process.stderr.write(`embedder contract skipped: no model at ${modelDir} (run npm run model:fetch)\n`);
const describeWithModel = haveModel ? describe : describe.skip;

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((sum, value, i) => sum + value * b[i]!, 0);

function embedderContract(name: string, open: () => Promise<Embedder>): void {
  describe(`${name} embedder contract`, () => {
    let embedder: Embedder;
    beforeAll(async () => {
      embedder = await open();
    });
    afterAll(() => embedder.close());

    it('returns one unit vector per text, all of one size', async () => {
      const vectors = await embedder.embedDocuments(['def add(a, b): return a + b', 'class Cart: pass', 'x']);
      expect(vectors).toHaveLength(3);
      for (const vector of vectors) {
        expect(vector.length).toBe(vectors[0]!.length);
        expect(dot(vector, vector)).toBeCloseTo(1, 3);
      }
    });

    it('places a question nearer to the code that answers it', async () => {
      const query = await embedder.embedQuery('read a file line by line');
      const [reader, sorter] = await embedder.embedDocuments([
        'def read_lines(path):\n    with open(path) as handle:\n        for line in handle:\n            yield line',
        'function quickSort(items) { return items.sort((a, b) => a - b); }',
      ]);
      expect(dot(query, reader!)).toBeGreaterThan(dot(query, sorter!));
    });

    it('embeds a text the same alone and in a batch', async () => {
      const [alone] = await embedder.embedDocuments(['parse a date string']);
      const [, inBatch] = await embedder.embedDocuments(['unrelated text about billing', 'parse a date string']);
      // why: padding shifts int8 activations slightly, so batched vectors agree closely but not exactly.
      expect(dot(alone!, inBatch!)).toBeGreaterThan(0.99);
    });

    it('has a stable id for the cache', () => {
      expect(embedder.id).toMatch(/\S/);
    });
  });
}

describeWithModel('with the local model', () => {
  embedderContract('ONNX', async () => (await openEmbedder(modelDir, process.env))!);

  // An OpenAI-compatible server on loopback that embeds with the same real model (as TEI or Ollama would).
  let server: Server;
  let baseUrl = '';
  beforeAll(async () => {
    const model = (await openEmbedder(modelDir, process.env))!;
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (part: Buffer) => (body += part.toString()));
      request.on('end', () => {
        const { input } = JSON.parse(body) as { input: string[] };
        model.embedDocuments(input).then(
          (vectors) => {
            response.setHeader('content-type', 'application/json');
            response.end(JSON.stringify({ data: vectors.map((vector, index) => ({ index, embedding: [...vector] })) }));
          },
          (error: unknown) => {
            response.statusCode = 500;
            response.end(String(error));
          },
        );
      });
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise((closed) => server.close(closed)));
  embedderContract('OpenAI-compatible HTTP', async () =>
    createOpenAiEmbedder({ baseUrl, model: DEFAULT_MODEL, batchSize: 2 }),
  );
});

describe('OpenAI-compatible embedder errors', () => {
  it('fails with a typed error when the endpoint is unreachable', async () => {
    const embedder = createOpenAiEmbedder({ baseUrl: 'http://127.0.0.1:9/v1', model: 'm', timeoutMs: 2000 });
    await expect(embedder.embedQuery('x')).rejects.toMatchObject({ code: 'unavailable' });
  });
});
