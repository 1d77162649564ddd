import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect as connectHttp2 } from 'node:http2';
import type { Server } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { listenH2cAndHttp1, type DualHandler } from './listen-h2c-and-http1.js';

let server: Server | null = null;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = null;
});

let arrived: () => void = () => {};
/** Resolves once the next request reaches the handler. */
const nextArrival = (): Promise<void> => new Promise((resolve) => (arrived = resolve));

/** Answers after `?delay=ms`. */
const slow: DualHandler = (request, response) => {
  arrived();
  const delay = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('delay') ?? 0);
  setTimeout(() => response.writeHead(200).end('ok'), delay);
};

async function listen(drainMs: number): Promise<number> {
  server = await listenH2cAndHttp1(slow, 0, '127.0.0.1', { drainMs });
  return (server.address() as { port: number }).port;
}

/** One HTTP/1.1 GET over `agent`: status and headers, or the error's code. */
const get = (port: number, path: string, agent: Agent) =>
  new Promise<{ status: number; headers: IncomingHttpHeaders } | { error: string }>((resolve) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, agent }, (response) => {
      response.resume();
      response.once('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
    });
    request.once('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    request.end();
  });

describe('a stopping listener', () => {
  it('finishes HTTP/1 requests in flight, answers with Connection: close, and only then lets close() complete', async () => {
    const port = await listen(5_000);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect(await get(port, '/warm', agent)).toMatchObject({ status: 200 });
    // why: close only once the request is in the handler; a loaded machine may take longer than any fixed wait.
    const arrival = nextArrival();
    const inFlight = get(port, '/?delay=400', agent);
    await arrival;
    const started = Date.now();
    const closed = new Promise((resolve) => server!.close(resolve));
    server = null;
    expect(await inFlight).toMatchObject({ status: 200, headers: { connection: 'close' } });
    await closed;
    expect(Date.now() - started).toBeLessThan(2_000);
    agent.destroy();
  });

  it('closes an idle kept-alive HTTP/1 connection within about a second, and cuts what is left at drainMs', async () => {
    const port = await listen(1_500);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect(await get(port, '/warm', agent)).toMatchObject({ status: 200 });
    const started = Date.now();
    await new Promise((resolve) => server!.close(resolve));
    server = null;
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(1_500);
    agent.destroy();
  });

  it('sends GOAWAY to HTTP/2 clients and lets their open streams finish', async () => {
    const port = await listen(5_000);
    const session = connectHttp2(`http://127.0.0.1:${port}`);
    session.on('error', () => {});
    const goaway = new Promise((resolve) => session.once('goaway', resolve));
    const arrival = nextArrival();
    const stream = session.request({ ':path': '/?delay=400' });
    const status = new Promise((resolve) => stream.once('response', (headers) => resolve(headers[':status'])));
    stream.resume();
    await arrival;
    const closed = new Promise((resolve) => server!.close(resolve));
    server = null;
    await goaway;
    expect(await status).toBe(200);
    await closed;
    session.close();
  });
});
