import { createServer as createTcpServer, type Server } from 'node:net';
import { createProtocolServers, type DualHandler, type ListenTimeouts } from './create-protocol-servers.js';

export { DEFAULT_LISTEN_TIMEOUTS, type DualHandler, type ListenTimeouts } from './create-protocol-servers.js';

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/**
 * Listens on one cleartext port for HTTP/2 with prior knowledge (gRPC) and HTTP/1.1 (Connect JSON, gRPC-Web,
 * curl, probes): the first bytes of a connection say which protocol it speaks. Slow and silent clients are
 * closed within the bounds of `timeouts`.
 */
export async function listenH2cAndHttp1(
  handler: DualHandler,
  port: number,
  host: string,
  timeouts: Partial<ListenTimeouts> = {},
): Promise<Server> {
  const servers = createProtocolServers(handler, timeouts);
  const server = createTcpServer((socket) =>
    servers.accept(socket, (head) => (startsWithH2Preface(head) ? 'h2' : 'http/1.1')),
  );
  await servers.listen(server, port, host);
  return server;
}

/** Whether a connection's first bytes are (the start of) the HTTP/2 connection preface. */
function startsWithH2Preface(head: Buffer | null): boolean {
  if (!head || head.length < 3) return false;
  const length = Math.min(head.length, H2_PREFACE.length);
  return H2_PREFACE.subarray(0, length).equals(head.subarray(0, length));
}
