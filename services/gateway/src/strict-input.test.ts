import { connect as http2Connect } from 'node:http2';
import { describe, expect, it } from '@jest/globals';
import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { IndexService } from '@conexus/api';
import { useBareGateway } from './bare-gateway.fixture.js';

const gateway = useBareGateway({ defaultTimeoutMs: 500 });

async function post(method: string, body: string): Promise<{ status: number; code: string; message: string }> {
  const response = await fetch(`${gateway.url}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const answer = (await response.json()) as { code: string; message: string };
  return { status: response.status, ...answer };
}

/** One gRPC-framed message: flags 0, a big-endian length, the bytes. */
function frame(hex: string): Buffer {
  const data = Buffer.from(hex, 'hex');
  const head = Buffer.alloc(5);
  head.writeUInt32BE(data.length, 1);
  return Buffer.concat([head, data]);
}

/** The trailer frame's block of a gRPC-Web answer body. */
function webTrailer(body: Buffer): string {
  for (let offset = 0; offset + 5 <= body.length; offset += 5 + body.readUInt32BE(offset + 1)) {
    if (body[offset]! & 0x80) return body.subarray(offset + 5, offset + 5 + body.readUInt32BE(offset + 1)).toString();
  }
  return '';
}

async function grpcWeb(method: string, body: Buffer): Promise<{ status: number; trailer: string }> {
  const response = await fetch(`${gateway.url}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/grpc-web+json', 'x-grpc-web': '1' },
    body,
  });
  return { status: response.status, trailer: webTrailer(Buffer.from(await response.arrayBuffer())) };
}

function grpcOverHttp2(method: string, body: Buffer): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const session = http2Connect(gateway.url);
    session.on('error', reject);
    const stream = session.request({
      ':method': 'POST',
      ':path': `/${method}`,
      'content-type': 'application/grpc+json',
      te: 'trailers',
    });
    let status: Record<string, unknown> = {};
    stream.on('response', (headers) => (status = { ...status, ...headers }));
    stream.on('trailers', (trailers) => (status = { ...status, ...trailers }));
    stream.on('error', reject);
    stream.on('close', () => {
      session.close();
      resolve(status);
    });
    stream.resume();
    stream.end(body);
  });
}

// why: V8 cuts its JSON syntax error's snippet after 10 UTF-16 units, here inside a surrogate pair (found by the API fuzz test).
const SPLIT_PAIR_BODY = '12052e2e2f2e2e120cf48e8aa6f0969c9ff3a3838f1a09612f2e2e2f2e2e2f621a02624b28043006';
const LONE_SURROGATE_KEY = Buffer.from('{"\\ud800": 1}').toString('hex');

describe('strict input at the gateway', () => {
  it.each([
    ['a JSON syntax error whose snippet splits a surrogate pair', SPLIT_PAIR_BODY],
    ['an unknown JSON key that is a lone surrogate', LONE_SURROGATE_KEY],
  ])('answers %s over gRPC-Web and gRPC with invalid_argument, not a reset connection', async (_, hex) => {
    const web = await grpcWeb('conexus.v1.ContextService/Search', frame(hex));
    expect(web.status).toBe(200);
    expect(web.trailer).toMatch(/^grpc-status: ?3\r$/m);
    const grpc = await grpcOverHttp2('conexus.v1.ContextService/Search', frame(hex));
    expect(grpc['grpc-status']).toBe('3');
  });

  it('refuses unknown JSON fields, naming the field', async () => {
    const answer = await post('conexus.v1.ContextService/Search', '{"qeury": "where are jobs retried"}');
    expect(answer).toMatchObject({ status: 400, code: 'invalid_argument' });
    expect(answer.message).toMatch(/qeury/);
  });

  it('refuses enum values the contract does not define, by name or by number, naming the field', async () => {
    expect(await post('conexus.v1.ContextService/Search', '{"query": "q", "unit": "RESULT_UNIT_BOGUS"}')).toMatchObject(
      { status: 400, code: 'invalid_argument' },
    );
    const numeric = await post('conexus.v1.ContextService/Search', '{"query": "q", "unit": 99}');
    expect(numeric).toMatchObject({ status: 400, code: 'invalid_argument' });
    expect(numeric.message).toMatch(/unit/);
  });

  it('answers a stream request with a bad name with invalid_argument, not internal', async () => {
    const client = createClient(IndexService, createConnectTransport({ baseUrl: gateway.url, httpVersion: '1.1' }));
    const failure = await (async () => {
      for await (const update of client.watchIndexStatus({})) void update;
    })().then(
      () => null,
      (error: unknown) => ConnectError.from(error),
    );
    expect(failure?.code).toBe(Code.InvalidArgument);
  });
});
