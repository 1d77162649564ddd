import type { Answer } from './exchange.js';

/** The protocols an RPC answer is read in. */
export type RpcProtocol = 'connect' | 'connect-stream' | 'grpc' | 'grpc-web';

/** Connect's codes by name, in the order of gRPC's numbers (1..16). */
const CODES = [
  'canceled',
  'unknown',
  'invalid_argument',
  'deadline_exceeded',
  'not_found',
  'already_exists',
  'permission_denied',
  'resource_exhausted',
  'failed_precondition',
  'aborted',
  'out_of_range',
  'unimplemented',
  'internal',
  'unavailable',
  'data_loss',
  'unauthenticated',
];
// why: these say the server failed, not the caller: a malformed request must never get one.
const SERVER_FAULTS = new Set(['unknown', 'internal', 'data_loss']);
// why: protocol-level refusals that Connect and gRPC answer before a handler runs, without an error body:
// 404 (no such method, read as unimplemented), 405 (wrong HTTP method), 415 (wrong content type), 505 (a bidi
// stream over HTTP/1.1).
const PROTOCOL_REFUSALS = new Set([404, 405, 415, 505]);

/** The outcome of one exchange as the caller reads it. */
export type Verdict = { readonly ok: true; readonly code: string } | { readonly ok: false; readonly why: string };

const fault = (why: string): Verdict => ({ ok: false, why });
const codeVerdict = (code: string, context: string): Verdict =>
  !CODES.includes(code)
    ? fault(`${context}: "${code}" is not a Connect code`)
    : SERVER_FAULTS.has(code)
      ? fault(`${context}: ${code}`)
      : { ok: true, code };

/** Judges an RPC answer: a success, or an error with a proper code; never a server fault, a broken connection or a hang. */
export function judgeRpc(protocol: RpcProtocol, answer: Answer, streaming = false): Verdict {
  if (answer.kind === 'broken') return fault(`connection broken (${answer.reason}), status ${answer.status ?? 'none'}`);
  // why: a server stream (a status watch) may rightly stay open; it has answered once its headers said 200.
  if (answer.kind === 'timeout')
    return streaming && answer.status === 200
      ? { ok: true, code: 'open' }
      : fault(`no answer in time (status ${answer.status ?? 'none'})`);
  if (PROTOCOL_REFUSALS.has(answer.status)) return { ok: true, code: `http_${answer.status}` };
  const snippet = `HTTP ${answer.status} ${answer.body.subarray(0, 200).toString('utf8')}`;
  switch (protocol) {
    case 'connect':
      if (answer.status === 200) return { ok: true, code: 'ok' };
      return codeVerdict(connectErrorCode(answer.body) ?? `HTTP ${answer.status} without an error body`, snippet);
    case 'connect-stream': {
      if (answer.status !== 200)
        return codeVerdict(connectErrorCode(answer.body) ?? `HTTP ${answer.status} without an error body`, snippet);
      const end = envelopes(answer.body).find((envelope) => (envelope.flags & 0b10) !== 0);
      if (!end) return fault(`${snippet}: stream without an end-of-stream message`);
      const error = parseJson(end.data) as { error?: { code?: string } } | undefined;
      return error?.error
        ? codeVerdict(String(error.error.code), `${snippet}: end of stream`)
        : { ok: true, code: 'ok' };
    }
    case 'grpc':
    case 'grpc-web': {
      if (answer.status !== 200) return fault(`${snippet}: gRPC answers HTTP 200`);
      const trailer =
        protocol === 'grpc-web' ? envelopes(answer.body).find((envelope) => (envelope.flags & 0x80) !== 0) : undefined;
      const fields = trailer ? parseTrailerBlock(trailer.data) : answer.trailers;
      const status = fields['grpc-status'] ?? answer.headers['grpc-status'];
      if (status === undefined) return fault(`${snippet}: no grpc-status`);
      const number = Number(status);
      if (number === 0) return { ok: true, code: 'ok' };
      const message = decodeURIComponent(fields['grpc-message'] ?? answer.headers['grpc-message'] ?? '');
      return codeVerdict(CODES[number - 1] ?? `grpc-status ${status}`, `grpc-status ${status} ${message}`);
    }
  }
}

/** The Connect error code in a JSON error body, or null when the body is not one. */
export function connectErrorCode(body: Buffer): string | null {
  const parsed = parseJson(body) as { code?: unknown } | undefined;
  return typeof parsed?.code === 'string' ? parsed.code : null;
}

/** The enveloped messages of a Connect or gRPC stream body: flags, then the data each length prefix promises. */
export function envelopes(body: Buffer): { flags: number; data: Buffer }[] {
  const found: { flags: number; data: Buffer }[] = [];
  for (let at = 0; at + 5 <= body.length;) {
    const length = body.readUInt32BE(at + 1);
    found.push({ flags: body[at]!, data: body.subarray(at + 5, at + 5 + length) });
    at += 5 + length;
  }
  return found;
}

/** Frames one message as gRPC, gRPC-Web and Connect streams do: a flags byte and a 4-byte big-endian length. */
export function envelope(data: Uint8Array, flags = 0, declaredLength = data.length): Buffer {
  const head = Buffer.alloc(5);
  head[0] = flags;
  head.writeUInt32BE(declaredLength >>> 0, 1);
  return Buffer.concat([head, data]);
}

function parseTrailerBlock(data: Buffer): Record<string, string> {
  return Object.fromEntries(
    data
      .toString('utf8')
      .split('\r\n')
      .filter((line) => line.includes(':'))
      .map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
  );
}

function parseJson(data: Buffer): unknown {
  try {
    return JSON.parse(data.toString('utf8'));
  } catch {
    return undefined;
  }
}
