import fc from 'fast-check';
import type { Answer, RawRequest } from './exchange.js';
import { judgeRpc, type RpcProtocol } from './judge-rpc.js';
import type { RpcMethod } from './rpc-request.js';

/** One fuzzed request and what its answer must be: `judge` names what is wrong with an answer, or null. */
export interface FuzzCase {
  readonly request: RawRequest;
  readonly judge: (answer: Answer) => string | null;
}

/** A short, readable form of a request, for counterexamples: huge bodies are cut, binary ones shown in hex. */
export function describeRequest(request: RawRequest): string {
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body);
  const text = body.toString('utf8');
  const printable = Buffer.from(text, 'utf8').equals(body) && !/[\u0000-\u0008\u000e-\u001f]/.test(text);
  const shown = printable
    ? JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}…` : text)
    : `hex:${body.subarray(0, 120).toString('hex')}${body.length > 120 ? '…' : ''}`;
  return `${request.http2 ? 'h2 ' : ''}${request.uploadFirst ? '(upload first) ' : ''}${request.method} ${request.path.length > 300 ? `${request.path.slice(0, 300)}…` : request.path} ${JSON.stringify(request.headers ?? {})} body(${body.length} bytes)=${shown}`;
}

/** A case printed by its request when fast-check reports it. */
export function fuzzCase(request: RawRequest, judge: FuzzCase['judge']): FuzzCase {
  return { request, judge, [fc.toStringMethod]: () => describeRequest(request) } as FuzzCase;
}

/** A short form of an answer, for failure messages. */
export function describeAnswer(answer: Answer): string {
  if (answer.kind !== 'answered')
    return `${answer.kind}${'reason' in answer ? ` (${answer.reason})` : ''}, status ${answer.status ?? 'none'}`;
  const grpc = answer.trailers['grpc-status'] ?? answer.headers['grpc-status'];
  return `HTTP ${answer.status}${grpc ? ` grpc-status ${grpc}` : ''} ${JSON.stringify(answer.body.subarray(0, 300).toString('utf8'))}`;
}

/**
 * An RPC case: the answer must be a success or an error with a proper code, and, when `expected` names codes
 * (Connect names, `ok`, or `http_<status>` for protocol refusals), one of them.
 */
export function rpcCase(
  rpc: RpcMethod,
  protocol: RpcProtocol,
  request: RawRequest,
  wanted?: readonly string[],
): FuzzCase {
  // why: Connect serves a bidi stream over HTTP/2 only, and says so with 505 before reading anything else.
  const expected =
    wanted && rpc.method.methodKind === 'bidi_streaming' && !request.http2 ? [...wanted, 'http_505'] : wanted;
  return fuzzCase(request, (answer) => {
    const verdict = judgeRpc(protocol, answer, rpc.streaming);
    if (!verdict.ok) return `${rpc.path} over ${protocol}: ${verdict.why}`;
    if (expected && !expected.includes(verdict.code))
      return `${rpc.path} over ${protocol}: answered ${verdict.code} (${describeAnswer(answer)}), expected ${expected.join(' or ')}`;
    return null;
  });
}
