import { createServer as createHttp1Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';

/** A request handler for both HTTP versions (the compatibility API). */
export type DualHandler = (request: IncomingMessage | Http2ServerRequest, response: ServerResponse | Http2ServerResponse) => void;

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/**
 * Listens on one cleartext port for HTTP/2 with prior knowledge (gRPC) and HTTP/1.1 (Connect JSON, gRPC-Web,
 * curl, probes): the first bytes of a connection say which protocol it speaks.
 */
export async function listenH2cAndHttp1(handler: DualHandler, port: number, host: string): Promise<Server> {
  const http1 = createHttp1Server(handler);
  // why: clients drop idle kept-alive sockets after about 4-5 s; a server that waits longer never closes
  // a socket just as a client reuses it, which would fail that request before it is sent.
  http1.keepAliveTimeout = 65_000;
  http1.headersTimeout = 66_000;
  const http2 = createHttp2Server({}, handler);
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.once('readable', () => {
      const head: Buffer | null = socket.read(H2_PREFACE.length) ?? socket.read();
      if (head) socket.unshift(head);
      const target = head && head.length >= 3 && H2_PREFACE.subarray(0, Math.min(head.length, H2_PREFACE.length)).equals(head.subarray(0, H2_PREFACE.length)) ? http2 : http1;
      target.emit('connection', socket);
    });
    socket.on('error', () => socket.destroy());
  });
  server.on('close', () => {
    http1.close();
    http2.close();
  });
  // why: keep-alive and HTTP/2 sessions would hold a stopping server open for minutes.
  const close = server.close.bind(server);
  server.close = (callback) => {
    for (const socket of sockets) socket.destroy();
    return close(callback);
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
