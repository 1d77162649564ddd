import { createServer as createHttp1Server, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  createServer as createHttp2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type ServerHttp2Session,
} from 'node:http2';
import type { Server, Socket } from 'node:net';

/** A request handler for both HTTP versions (the compatibility API). */
export type DualHandler = (
  request: IncomingMessage | Http2ServerRequest,
  response: ServerResponse | Http2ServerResponse,
) => void;

/** How long a slow or silent client may hold a connection; every bound is in milliseconds. */
export interface ListenTimeouts {
  /** From a new connection to its first bytes (the protocol is read from them), and to the end of a TLS handshake. */
  readonly firstBytesMs: number;
  /** HTTP/1: from a request's first byte to the end of its headers, for each request of a kept-alive connection. */
  readonly headersMs: number;
  /** HTTP/1: from a request's first byte to the end of its body. */
  readonly requestMs: number;
  /** A connection with no request in progress: an HTTP/1 keep-alive wait, an HTTP/2 session with no open stream. */
  readonly idleMs: number;
  /** Stopping: how long requests in flight may take to finish before their connections are cut. */
  readonly drainMs: number;
}

/** The bounds a gateway listens with unless told otherwise. */
export const DEFAULT_LISTEN_TIMEOUTS: ListenTimeouts = Object.freeze({
  firstBytesMs: 10_000,
  headersMs: 15_000,
  requestMs: 60_000,
  // why: clients drop idle kept-alive sockets after about 4-5 s; a server that waits longer never closes
  // a socket just as a client reuses it, which would fail that request before it is sent.
  idleMs: 65_000,
  drainMs: 10_000,
});

/** The protocol a connection speaks, from its first bytes (cleartext) or its TLS ALPN. */
export type WireProtocol = 'h2' | 'http/1.1';

/** An HTTP/2 and an HTTP/1 server that never listen themselves: a TCP or TLS listener hands them connections. */
export interface ProtocolServers {
  readonly bounds: ListenTimeouts;
  /** Waits for a connection's first bytes (closing it when none come in time), then hands it to the server `choose` names. */
  accept(socket: Socket, choose: (head: Buffer | null) => WireProtocol): void;
  /** Listens with `listener`, whose close() then also ends every open connection and both servers. */
  listen(listener: Server, port: number, host: string): Promise<void>;
}

/** How long a closing HTTP/1.1 connection keeps reading what the client still sends. */
const LINGER_MS = 5_000;
/** While draining: an HTTP/1 connection idle this long is closed (a busy one is closed by its next answer). */
const DRAIN_IDLE_MS = 1_000;
const DRAIN_CHECK_MS = 100;

/** An HTTP/1 connection's requests in flight, and since when it has had none. */
interface Http1Use {
  readonly answering: Set<ServerResponse>;
  idleSince: number;
}

/** Creates the two protocol servers, with every bound of `timeouts` enforced on slow and silent clients. */
export function createProtocolServers(handler: DualHandler, timeouts: Partial<ListenTimeouts> = {}): ProtocolServers {
  const bounds = { ...DEFAULT_LISTEN_TIMEOUTS, ...timeouts };
  const http1Uses = new Map<Socket, Http1Use>();
  const sessions = new Set<ServerHttp2Session>();
  let draining = false;
  const http1 = createHttp1Server(
    {
      keepAliveTimeout: bounds.idleMs,
      // why: Node measures both from the first byte of each request, so an idle keep-alive wait never counts against them.
      headersTimeout: bounds.headersMs,
      requestTimeout: Math.max(bounds.requestMs, bounds.headersMs),
      // why: Node enforces the two bounds above only when this periodic check runs (every 30 s by default).
      connectionsCheckingInterval: Math.max(25, Math.min(1_000, Math.floor(bounds.headersMs / 4))),
    },
    (request, response) => {
      const use = http1Uses.get(request.socket);
      if (use) {
        use.answering.add(response);
        response.once('close', () => {
          use.answering.delete(response);
          use.idleSince = Date.now();
        });
      }
      // why: a stopping gateway tells each kept-alive client to reconnect (to a replica that is not stopping).
      if (draining) response.setHeader('connection', 'close');
      handler(request, response);
    },
  );
  const http2 = createHttp2Server({}, handler);
  http2.on('session', (session: ServerHttp2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    closeWhenIdle(session, bounds.idleMs);
  });
  /** Ends every connection gracefully within `drainMs`: GOAWAY on HTTP/2, `Connection: close` on HTTP/1. */
  const drain = async (sockets: ReadonlySet<Socket>): Promise<void> => {
    draining = true;
    for (const { answering } of http1Uses.values())
      for (const response of answering) if (!response.headersSent) response.setHeader('connection', 'close');
    // why: GOAWAY lets open streams finish while the client opens new ones elsewhere.
    for (const session of sessions) session.close();
    const deadline = Date.now() + bounds.drainMs;
    while (sockets.size > 0 && Date.now() < deadline) {
      const now = Date.now();
      for (const [socket, use] of http1Uses)
        if (use.answering.size === 0 && now - use.idleSince >= DRAIN_IDLE_MS) socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, DRAIN_CHECK_MS));
    }
    for (const socket of sockets) socket.destroy();
  };
  return {
    bounds,
    accept(socket, choose) {
      // why: a connection that sends nothing would otherwise wait for 'readable' forever.
      const silent = setTimeout(() => socket.destroy(), bounds.firstBytesMs);
      socket.once('close', () => clearTimeout(silent));
      socket.once('readable', () => {
        clearTimeout(silent);
        const head = socket.read() as Buffer | null;
        if (head) socket.unshift(head);
        if (choose(head) === 'h2') return void http2.emit('connection', socket);
        lingerOnClose(socket, LINGER_MS);
        http1Uses.set(socket, { answering: new Set(), idleSince: Date.now() });
        socket.once('close', () => http1Uses.delete(socket));
        http1.emit('connection', socket);
      });
      socket.on('error', () => socket.destroy());
    },
    async listen(listener, port, host) {
      const sockets = new Set<Socket>();
      listener.on('connection', (socket: Socket) => {
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
      });
      listener.on('close', () => {
        http1.close();
        http2.close();
      });
      // why: keep-alive and HTTP/2 sessions would hold a stopping server open for minutes, and cutting them would
      // fail the requests in flight: stop accepting, let those finish within drainMs, then cut what is left.
      const close = listener.close.bind(listener);
      listener.close = (callback) => {
        close(callback);
        void drain(sockets);
        return listener;
      };
      await new Promise<void>((resolve, reject) => {
        listener.once('error', reject);
        listener.listen(port, host, () => resolve());
      });
      // why: the HTTP/1 server never listens itself (connections are handed to it), and Node starts the check that
      // enforces its header and request timeouts on 'listening'; without this they are never enforced.
      http1.emit('listening');
    },
  };
}

/**
 * Closes an HTTP/2 session once it has had no open stream for `idleMs`: a client that opens no stream (or trickles
 * a preface) is closed, while a long, quiet stream (a status watch) is never cut.
 */
function closeWhenIdle(session: ServerHttp2Session, idleMs: number): void {
  let open = 0;
  let timer: NodeJS.Timeout | null = null;
  const arm = (): void => {
    timer = setTimeout(() => session.close(), idleMs);
    timer.unref();
  };
  arm();
  session.on('stream', (stream) => {
    open += 1;
    if (timer) clearTimeout(timer);
    timer = null;
    stream.once('close', () => {
      open -= 1;
      if (open === 0 && !session.closed && !session.destroyed) arm();
    });
  });
  session.once('close', () => {
    if (timer) clearTimeout(timer);
  });
}

/**
 * Closes an HTTP/1.1 connection the way servers do when a refusal (413, resource_exhausted) went out while the client
 * was still sending: our side is shut (FIN) and what still arrives is read and dropped until the client closes or the
 * linger ends, so the client reads the answer instead of a reset caused by unread bytes.
 */
function lingerOnClose(socket: Socket, lingerMs: number): void {
  // why: Node's HTTP server ends a `Connection: close` exchange with destroySoon(), which destroys the socket as soon
  // as our FIN is written, with the rest of the client's body unread: the kernel then answers it with a reset.
  const lingering = socket as Socket & { destroySoon?: () => void };
  lingering.destroySoon = () => {
    const give = setTimeout(() => socket.destroy(), lingerMs);
    give.unref();
    socket.once('end', () => socket.destroy());
    socket.once('close', () => clearTimeout(give));
    socket.end();
    socket.resume();
  };
}
