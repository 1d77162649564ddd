import type { DescMethod, DescService } from '@bufbuild/protobuf';
import { MethodOptions_IdempotencyLevel } from '@bufbuild/protobuf/wkt';
import type { RawRequest } from './exchange.js';
import { envelope, type RpcProtocol } from './judge-rpc.js';

/** One RPC of a service, with the path it is served at. */
export interface RpcMethod {
  readonly service: DescService;
  readonly method: DescMethod;
  readonly path: string;
  /** Its answer is a stream (server or bidi streaming). */
  readonly streaming: boolean;
  /** Declared free of side effects, so Connect serves it on GET too. */
  readonly idempotent: boolean;
}

/** Every method of every service, from their descriptors. */
export function rpcMethods(services: readonly DescService[]): RpcMethod[] {
  return services.flatMap((service) =>
    service.methods.map((method) => ({
      service,
      method,
      path: `/${service.typeName}/${method.name}`,
      streaming: method.methodKind !== 'unary',
      idempotent: method.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS,
    })),
  );
}

/** How a payload is put on the wire; `framed` sends the body as given (already enveloped, or deliberately not). */
export interface RpcEncoding {
  readonly protocol: RpcProtocol;
  /** JSON instead of binary protobuf (Connect only). */
  readonly json?: boolean;
  readonly framed?: boolean;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The request that calls `rpc` with `payload` in a protocol: Connect unary (a plain body), Connect streaming
 * (enveloped), gRPC over HTTP/2 and gRPC-Web over HTTP/1.1 (enveloped, trailers in the body).
 */
export function rpcRequest(rpc: RpcMethod, payload: Uint8Array | string, encoding: RpcEncoding): RawRequest {
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
  const codec = encoding.json ? 'json' : 'proto';
  const framedBody = encoding.framed ? bytes : envelope(bytes);
  const base = { method: 'POST', path: rpc.path };
  switch (encoding.protocol) {
    case 'connect':
      return { ...base, headers: { 'content-type': `application/${codec}`, ...encoding.headers }, body: bytes };
    case 'connect-stream':
      // why: Connect serves a bidi stream over HTTP/2 only (HTTP/1.1 gets 505).
      return {
        ...base,
        http2: rpc.method.methodKind === 'bidi_streaming',
        headers: { 'content-type': `application/connect+${codec}`, ...encoding.headers },
        body: framedBody,
      };
    case 'grpc':
      return {
        ...base,
        http2: true,
        headers: { 'content-type': 'application/grpc+proto', te: 'trailers', ...encoding.headers },
        body: framedBody,
      };
    case 'grpc-web':
      return {
        ...base,
        headers: { 'content-type': 'application/grpc-web+proto', 'x-grpc-web': '1', ...encoding.headers },
        body: framedBody,
      };
  }
}

/** Connect's own protocol for a method: unary, or streaming when either side streams. */
export const connectProtocol = (rpc: RpcMethod): RpcProtocol =>
  rpc.method.methodKind === 'unary' ? 'connect' : 'connect-stream';
