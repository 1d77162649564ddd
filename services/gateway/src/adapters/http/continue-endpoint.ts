import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConnectError } from '@connectrpc/connect';
import { ResultUnit } from '@conexus/api';
import { RESULT_UNITS, type GatewayClient } from '@conexus/client';

const MAX_BODY_BYTES = 1024 * 1024;
const UNITS: Readonly<Record<string, ResultUnit>> = RESULT_UNITS;

/**
 * Continue's HTTP context provider (`provider: http`): POST `{ query, fullInput }`, answered with context
 * items `{ name, description, content }`. The query string may narrow the search:
 * `?repos=a,b&unit=chunk|symbol|file&top_k=8&max_tokens=6000`.
 */
export function createContinueEndpoint(
  gateway: GatewayClient,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const reply = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'POST') return reply(405, { error: 'POST a JSON body { query, fullInput }' });
    readBody(request).then(
      async (text) => {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          return reply(400, { error: 'the body is not JSON' });
        }
        if (typeof body !== 'object' || body === null || Array.isArray(body))
          return reply(400, { error: 'the body must be a JSON object { query, fullInput }' });
        const { query, fullInput } = body as { query?: unknown; fullInput?: unknown };
        const question = [query, fullInput].find(
          (value): value is string => typeof value === 'string' && value.trim() !== '',
        );
        if (!question) return reply(400, { error: 'query or fullInput is required' });
        const params = new URL(request.url ?? '/', 'http://gateway').searchParams;
        try {
          const answer = await gateway.context.search({
            query: question.slice(0, 20_000),
            repos: (params.get('repos') ?? '').split(',').filter(Boolean),
            unit: UNITS[params.get('unit') ?? 'chunk'] ?? ResultUnit.CHUNK,
            topK: Math.min(Number(params.get('top_k')) || 8, 50),
            maxTokens: Math.min(Number(params.get('max_tokens')) || 6000, 100_000),
          });
          reply(
            200,
            answer.results.map((result) => ({
              name: `${result.path}:${result.startLine}-${result.endLine}`,
              description: `${result.repo}/${result.path}:${result.startLine}-${result.endLine}${result.symbol ? ` ${result.symbol}` : ''} @ ${result.commit.slice(0, 12)}`,
              content: `${result.repo}/${result.path} (lines ${result.startLine}-${result.endLine})\n\`\`\`\n${result.text.replace(/\n$/, '')}\n\`\`\``,
            })),
          );
        } catch (error) {
          const failure = ConnectError.from(error);
          reply(400, { error: failure.rawMessage });
        }
      },
      () => {
        // why: the client may still be sending; Node reads and drops the rest of the body once the 413 is out, so the
        // client reads the answer instead of a reset (the listener's request timeout bounds the wait).
        reply(413, { error: `bodies over ${MAX_BODY_BYTES} bytes are refused` });
      },
    );
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        chunks.length = 0;
        reject(new Error('too large'));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
