import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect as connectTcp, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { issueTestCertificates } from '@conexus/testkit';
import type { DualHandler } from './create-protocol-servers.js';
import { listenTls } from './listen-tls.js';

const scratch = mkdtempSync(join(tmpdir(), 'conexus-listen-tls-'));
const one = issueTestCertificates(join(scratch, 'one'), { ipAddresses: ['127.0.0.1'] });
const other = issueTestCertificates(join(scratch, 'other'), { ipAddresses: ['127.0.0.1'] });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ok: DualHandler = (_request, response) => response.end('ok');
let server: Server | null = null;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = null;
});

describe('the TLS listener', () => {
  it('refuses to start with a key that does not belong to the certificate', async () => {
    await expect(
      listenTls(ok, 0, '127.0.0.1', { certFile: one.certFile, keyFile: other.keyFile }),
    ).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringMatching(/does not match/) });
  });

  it('closes a connection that never finishes its handshake once the first-bytes bound passes', async () => {
    server = await listenTls(ok, 0, '127.0.0.1', one, { firstBytesMs: 600 });
    const socket = connectTcp((server.address() as { port: number }).port, '127.0.0.1');
    socket.on('error', () => {});
    socket.resume();
    const opened = Date.now();
    await new Promise((resolve) => socket.once('close', resolve));
    expect(Date.now() - opened).toBeGreaterThanOrEqual(500);
    expect(Date.now() - opened).toBeLessThan(3_000);
  });

  it('keeps the HTTP/1 header bound once the handshake is done', async () => {
    server = await listenTls(ok, 0, '127.0.0.1', one, { headersMs: 800, firstBytesMs: 10_000 });
    const socket = connectTls({
      host: '127.0.0.1',
      port: (server.address() as { port: number }).port,
      ca: readFileSync(one.caFile),
      ALPNProtocols: ['http/1.1'],
    });
    socket.on('error', () => {});
    socket.resume();
    await new Promise((resolve) => socket.once('secureConnect', resolve));
    const opened = Date.now();
    const closed = new Promise((resolve) => socket.once('close', resolve));
    const trickle = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 200);
    socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n');
    await closed;
    clearInterval(trickle);
    expect(Date.now() - opened).toBeLessThan(4_000);
  });
});
