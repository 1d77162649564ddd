import { describe, expect, it } from '@jest/globals';
import { useBareGateway } from '../../bare-gateway.fixture.js';

const gateway = useBareGateway();

describe('the Continue endpoint', () => {
  it('answers a body over 1 MiB with 413, not a reset connection, and keeps serving', async () => {
    for (const type of ['application/json', 'text/plain']) {
      const body = JSON.stringify({ query: 'x'.repeat(3 * 1024 * 1024) });
      const response = await fetch(`${gateway.url}/continue`, {
        method: 'POST',
        headers: { 'content-type': type },
        body,
      });
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({ error: expect.stringMatching(/over 1048576 bytes/) });
    }
    expect((await fetch(`${gateway.url}/continue`, { method: 'POST', body: 'not json' })).status).toBe(400);
  });

  it('answers JSON that is not an object with 400, and keeps serving', async () => {
    for (const body of ['null', '[]', '"query"', '42', 'true'])
      expect((await fetch(`${gateway.url}/continue`, { method: 'POST', body })).status).toBe(400);
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
  });
});
