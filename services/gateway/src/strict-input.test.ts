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

describe('strict input at the gateway', () => {
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
