import { Agent, request as httpRequest } from 'node:http';
import { connect as connectHttp2 } from 'node:http2';
import { connect as connectTcp, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { listenH2cAndHttp1, type DualHandler, type ListenTimeouts } from './listen-h2c-and-http1.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let server: Server | null = null;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = null;
});

/** Answers every request with its path, after `?delay=ms` if asked. */
const echo: DualHandler = (request, response) => {
  const delay = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('delay') ?? 0);
  setTimeout(() => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end(`ok ${request.url}`);
  }, delay);
};

async function listen(timeouts: Partial<ListenTimeouts>): Promise<number> {
  server = await listenH2cAndHttp1(echo, 0, '127.0.0.1', timeouts);
  return (server.address() as { port: number }).port;
}

/** Opens a raw TCP connection; `closed` resolves with the milliseconds it stayed open. */
async function rawSocket(port: number): Promise<{ socket: Socket; closed: Promise<number> }> {
  const socket = connectTcp(port, '127.0.0.1');
  socket.on('error', () => {});
  // why: a paused socket never reports the server's hang-up.
  socket.resume();
  await new Promise((resolve) => socket.once('connect', resolve));
  const opened = Date.now();
  return { socket, closed: new Promise((resolve) => socket.once('close', () => resolve(Date.now() - opened))) };
}

/** Writes `text` one byte per `everyMs` until the socket closes or the text ends. */
async function trickle(socket: Socket, text: string, everyMs: number): Promise<void> {
  for (const byte of text) {
    if (socket.destroyed || socket.closed || !socket.writable) return;
    socket.write(byte);
    await sleep(everyMs);
  }
}

describe('the dual-protocol listener', () => {
  it('closes a connection that trickles its HTTP/1 headers once the header bound passes', async () => {
    const port = await listen({ headersMs: 1_500, firstBytesMs: 10_000 });
    const { socket, closed } = await rawSocket(port);
    void trickle(socket, `GET / HTTP/1.1\r\nHost: localhost\r\n${'X-Slow: 1\r\n'.repeat(20)}\r\n`, 500);
    const openMs = await closed;
    // why: the old listener never enforced a header bound: the trickle ran on for the whole text (over 2 minutes).
    expect(openMs).toBeGreaterThanOrEqual(1_400);
    expect(openMs).toBeLessThan(4_000);
  });

  it('closes a connection that trickles a request body once the request bound passes', async () => {
    const port = await listen({ headersMs: 500, requestMs: 1_500 });
    const { socket, closed } = await rawSocket(port);
    socket.write('POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 200\r\n\r\n');
    void trickle(socket, 'x'.repeat(200), 250);
    const openMs = await closed;
    expect(openMs).toBeLessThan(4_000);
  });

  it('closes a connection that sends nothing', async () => {
    const port = await listen({ firstBytesMs: 500 });
    const { closed } = await rawSocket(port);
    const openMs = await closed;
    expect(openMs).toBeGreaterThanOrEqual(400);
    expect(openMs).toBeLessThan(2_500);
  });

  it('keeps an HTTP/1 keep-alive connection across a pause longer than the header bound, and closes it when idle', async () => {
    const port = await listen({ headersMs: 400, idleMs: 2_500 });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = (path: string) =>
      new Promise<{ body: string; reused: boolean; socket: Socket }>((resolve, reject) => {
        const call = httpRequest({ port, host: '127.0.0.1', path, agent }, (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => resolve({ body, reused: call.reusedSocket, socket: call.socket! }));
        });
        call.on('error', reject);
        call.end();
      });
    const first = await get('/one');
    await sleep(1_000);
    const second = await get('/two');
    expect([first.body, second.body]).toEqual(['ok /one', 'ok /two']);
    expect(second.reused).toBe(true);
    expect(second.socket).toBe(first.socket);
    const closed = new Promise((resolve) => second.socket.once('close', resolve));
    await expect(Promise.race([closed.then(() => 'closed'), sleep(6_000).then(() => 'open')])).resolves.toBe('closed');
    agent.destroy();
  });

  it('serves HTTP/2 streams longer than the idle bound, and closes a session once it has no stream for that long', async () => {
    const port = await listen({ idleMs: 800 });
    const session = connectHttp2(`http://127.0.0.1:${port}`);
    session.on('error', () => {});
    const opened = Date.now();
    const closed = new Promise<number>((resolve) => session.once('close', () => resolve(Date.now() - opened)));
    const body = await new Promise<string>((resolve, reject) => {
      const stream = session.request({ ':path': '/slow?delay=1500' });
      let text = '';
      stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
      stream.on('end', () => resolve(text));
      stream.on('error', reject);
      stream.end();
    });
    expect(body).toBe('ok /slow?delay=1500');
    const openMs = await closed;
    expect(openMs).toBeGreaterThanOrEqual(1_500 + 700);
    expect(openMs).toBeLessThan(5_000);
  });

  it('closes an HTTP/2 connection that opens no stream', async () => {
    const port = await listen({ idleMs: 600 });
    const { socket, closed } = await rawSocket(port);
    socket.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    socket.write(Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]));
    const openMs = await closed;
    expect(openMs).toBeLessThan(3_000);
  });
});
