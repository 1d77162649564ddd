import type { Server } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { createProtocolServers, type DualHandler, type ListenTimeouts } from './create-protocol-servers.js';
import { checkTlsPair, readTlsPair, type TlsFiles, type TlsPair } from './read-tls-pair.js';
import { TLS_RELOAD_POLL_MS, watchTlsFiles } from './watch-tls-files.js';

/** The certificate files a TLS listener serves, re-read when they change. */
export interface TlsListenOptions extends TlsFiles {
  /** How often the files are polled besides watching their folders; default TLS_RELOAD_POLL_MS. */
  readonly pollMs?: number;
  /** A changed pair is now served to new connections. */
  readonly onReload?: (pair: TlsPair) => void;
  /** A changed pair was refused (unreadable or mismatched); the previous one stays in use. */
  readonly onReloadFailed?: (error: unknown) => void;
}

/**
 * Listens on one TLS port for HTTP/2 (ALPN `h2`: gRPC, Connect) and HTTP/1.1 (ALPN `http/1.1` or none: Connect JSON,
 * curl, probes), with the bounds of `timeouts` on slow clients. The certificate and key are re-read when they change,
 * and new connections get the new pair without a restart. Fails `invalid_argument` when the first pair is bad.
 */
export async function listenTls(
  handler: DualHandler,
  port: number,
  host: string,
  tls: TlsListenOptions,
  timeouts: Partial<ListenTimeouts> = {},
): Promise<Server> {
  const pair = readTlsPair(tls);
  const servers = createProtocolServers(handler, timeouts);
  const server = createTlsServer(
    {
      cert: pair.cert,
      key: pair.key,
      ALPNProtocols: ['h2', 'http/1.1'],
      handshakeTimeout: servers.bounds.firstBytesMs,
    },
    (socket: TLSSocket) => servers.accept(socket, () => (socket.alpnProtocol === 'h2' ? 'h2' : 'http/1.1')),
  );
  const watch = watchTlsFiles(
    tls,
    pair,
    (cert, key) => {
      try {
        const next = checkTlsPair(cert, key);
        server.setSecureContext({ cert: next.cert, key: next.key });
        tls.onReload?.(next);
      } catch (error) {
        tls.onReloadFailed?.(error);
      }
    },
    tls.pollMs ?? TLS_RELOAD_POLL_MS,
  );
  // why: Node reports a failed or timed-out handshake here but leaves the connection open.
  server.on('tlsClientError', (_error, socket) => socket.destroy());
  server.on('close', () => watch.stop());
  try {
    await servers.listen(server, port, host);
  } catch (error) {
    watch.stop();
    throw error;
  }
  return server;
}
