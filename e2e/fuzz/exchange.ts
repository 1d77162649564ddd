import { request as http1Request, type ClientRequest, type IncomingHttpHeaders } from 'node:http';
import { connect as http2Connect, constants as h2 } from 'node:http2';

/** One request exactly as it goes on the wire: any method, path, headers and bytes. */
export interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array | string;
  /** HTTP/2 with prior knowledge (gRPC) instead of HTTP/1.1. */
  readonly http2?: boolean;
  /** Send the whole body even once an answer has begun, as a client that reads only after uploading does. */
  readonly uploadFirst?: boolean;
}

/** What came back: an answer (whatever its status), a broken connection, or nothing within the time allowed. */
export type Answer =
  | {
      readonly kind: 'answered';
      readonly status: number;
      readonly headers: Readonly<Record<string, string>>;
      readonly trailers: Readonly<Record<string, string>>;
      readonly body: Buffer;
    }
  | { readonly kind: 'broken'; readonly reason: string; readonly status: number | null }
  | { readonly kind: 'timeout'; readonly status: number | null; readonly body: Buffer };

const flatten = (headers: IncomingHttpHeaders | Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).flatMap(([key, value]) =>
      value === undefined ? [] : [[key, Array.isArray(value) ? value.join(', ') : String(value as string | number)]],
    ),
  );

/** Sends one request on a connection of its own (so that a broken answer breaks only itself) and reads the whole answer. */
export function exchange(base: string, request: RawRequest, timeoutMs: number): Promise<Answer> {
  return request.http2 ? exchangeHttp2(base, request, timeoutMs) : exchangeHttp1(base, request, timeoutMs);
}

function exchangeHttp1(base: string, raw: RawRequest, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let status: number | null = null;
    let settled = false;
    const settle = (answer: Answer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(answer);
    };
    // why: the base alone names the server; a path such as //x must not be read as another host.
    const url = new URL(base);
    const body = raw.body === undefined ? undefined : Buffer.from(raw.body);
    const chunked = Object.keys(raw.headers ?? {}).some((name) => name.toLowerCase() === 'transfer-encoding');
    const headers = { ...(body && !chunked ? { 'content-length': String(body.length) } : {}), ...raw.headers };
    const request = http1Request(
      { host: url.hostname, port: url.port, method: raw.method, path: raw.path, headers, agent: false },
      (response) => {
        status = response.statusCode ?? null;
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          settle({
            kind: 'answered',
            status: status!,
            headers: flatten(response.headers),
            trailers: flatten(response.trailers),
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', (error) => settle({ kind: 'broken', reason: error.message, status }));
      },
    );
    const timer = setTimeout(() => settle({ kind: 'timeout', status, body: Buffer.concat(chunks) }), timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) =>
      setTimeout(() => settle({ kind: 'broken', reason: error.code ?? error.message, status }), 20),
    );
    void writeUntilAnswered(request, body ?? Buffer.alloc(0), () => settled || (status !== null && !raw.uploadFirst));
  });
}

const WRITE_CHUNK = 64 * 1024;

/**
 * Writes a body in chunks and stops once an answer has begun, as curl does: a server may refuse a large body
 * (413, resource_exhausted) before reading it all, and the answer must then be read, not lost to a write error.
 */
async function writeUntilAnswered(request: ClientRequest, body: Buffer, answered: () => boolean): Promise<void> {
  for (let at = 0; at < body.length; at += WRITE_CHUNK) {
    if (answered()) return;
    if (!request.write(body.subarray(at, at + WRITE_CHUNK))) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          request.off('drain', done).off('close', done);
          resolve();
        };
        request.on('drain', done).on('close', done);
      });
    }
  }
  if (!answered()) request.end();
}

function exchangeHttp2(base: string, raw: RawRequest, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve) => {
    const session = http2Connect(base);
    const chunks: Buffer[] = [];
    let status: number | null = null;
    let headers: Record<string, string> = {};
    let settled = false;
    const settle = (answer: Answer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => settle({ kind: 'timeout', status, body: Buffer.concat(chunks) }), timeoutMs);
    session.on('error', (error: NodeJS.ErrnoException) =>
      settle({ kind: 'broken', reason: error.code ?? error.message, status }),
    );
    const stream = session.request({
      [h2.HTTP2_HEADER_METHOD]: raw.method,
      [h2.HTTP2_HEADER_PATH]: raw.path,
      ...raw.headers,
    });
    let trailers: Record<string, string> = {};
    stream.on('response', (head) => {
      status = Number(head[h2.HTTP2_HEADER_STATUS]);
      headers = flatten(head);
    });
    stream.on('trailers', (tail) => (trailers = flatten(tail)));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () =>
      settle(
        status === null
          ? { kind: 'broken', reason: 'stream ended without headers', status }
          : { kind: 'answered', status, headers, trailers, body: Buffer.concat(chunks) },
      ),
    );
    stream.on('close', () => {
      if (stream.rstCode && stream.rstCode !== h2.NGHTTP2_NO_ERROR)
        settle({ kind: 'broken', reason: `RST_STREAM ${stream.rstCode}`, status });
      else
        setTimeout(
          () =>
            settle(
              status === null
                ? { kind: 'broken', reason: 'stream closed without headers', status }
                : { kind: 'answered', status, headers, trailers, body: Buffer.concat(chunks) },
            ),
          0,
        );
    });
    stream.on('error', (error: NodeJS.ErrnoException) =>
      settle({ kind: 'broken', reason: error.code ?? error.message, status }),
    );
    stream.end(raw.body === undefined ? undefined : Buffer.from(raw.body));
  });
}
