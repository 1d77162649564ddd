import { connect as connectHttp2 } from 'node:http2';
import { request as httpRequest } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { LOOPBACK_ACCESS } from './adapters/http/host-guard.js';
import { useBareGateway } from './bare-gateway.fixture.js';

const gateway = useBareGateway({ hosts: LOOPBACK_ACCESS, mcp: LOOPBACK_ACCESS });

/** One HTTP/1.1 request; resolves with the status. */
function http1(path: string, headers: Record<string, string>, method = 'POST', body = '{}'): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port: gateway.port,
        path,
        method,
        headers: { 'content-type': 'application/json', ...headers },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(method === 'GET' ? undefined : body);
  });
}

/** One gRPC-shaped HTTP/2 request; resolves with the :status. */
function http2(path: string, authority: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const session = connectHttp2(`http://127.0.0.1:${gateway.port}`);
    session.on('error', reject);
    const stream = session.request({
      ':method': 'POST',
      ':path': path,
      ':authority': authority,
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    stream.on('response', (headers) => {
      resolve(Number(headers[':status']));
      session.close();
    });
    stream.on('error', reject);
    stream.end(Buffer.alloc(5));
  });
}

describe('the Host and Origin guard on every route of a loopback gateway', () => {
  it('lists its HTTP routes and every RPC', () => {
    expect(gateway.paths).toEqual(
      expect.arrayContaining([
        '/healthz',
        '/continue',
        '/mcp',
        '/conexus.v1.IndexService/AddRepo',
        '/conexus.v1.ContextService/Search',
        '/grpc.health.v1.Health/Check',
      ]),
    );
  });

  it('refuses a foreign Host on every route, over HTTP/1.1 and HTTP/2', async () => {
    for (const path of gateway.paths) {
      expect([path, await http1(path, { host: 'rebound.example:7420' })]).toEqual([path, 403]);
      expect([path, await http1(path, { host: 'rebound.example' }, 'GET')]).toEqual([path, 403]);
      expect([path, await http2(path, 'rebound.example:7420')]).toEqual([path, 403]);
    }
  });

  it('refuses a cross-site Origin on every route, including a CORS-simple text/plain POST', async () => {
    for (const path of gateway.paths) {
      expect([
        path,
        await http1(path, {
          host: `127.0.0.1:${gateway.port}`,
          origin: 'http://evil.example',
          'content-type': 'text/plain',
        }),
      ]).toEqual([path, 403]);
    }
  });

  it('answers loopback callers as before', async () => {
    expect(await http1('/healthz', { host: `localhost:${gateway.port}` }, 'GET')).toBe(200);
    expect(await http1('/healthz', { host: `127.0.0.1:${gateway.port}`, origin: 'http://localhost:5173' }, 'GET')).toBe(
      200,
    );
    expect(await http2('/grpc.health.v1.Health/Check', `127.0.0.1:${gateway.port}`)).toBe(200);
  });
});
