import type { UniversalServerResponse } from '@connectrpc/connect/protocol';

const GRPC_INTERNAL = '13';
const GRPC_INVALID_ARGUMENT = '3';
const TRAILER_FLAG = 0x80;
const END_STREAM_FLAG = 0x02;
const COMPRESSED_FLAG = 0x01;

/**
 * Rewrites an `internal` answer to `invalid_argument` when `undecoded()` says the request never reached a handler, in
 * the form each protocol carries its status: a Connect error body and HTTP status, a gRPC trailer, a gRPC-Web trailer
 * frame, or a Connect end-of-stream message. Any other answer passes through untouched.
 */
export function recodeDecodingFailure(
  answer: UniversalServerResponse,
  undecoded: () => boolean,
): UniversalServerResponse {
  const type = answer.header?.get('content-type') ?? '';
  const body = answer.body;
  if (!body) return answer;
  // why: a recoded body may differ in length from the one the header announced.
  answer.header?.delete('content-length');
  if (type.startsWith('application/grpc-web'))
    return { ...answer, body: mapFrames(body, TRAILER_FLAG, undecoded, (data) => recodeTrailerBlock(data, undecoded)) };
  if (type.startsWith('application/grpc')) return { ...answer, body: thenRecodeTrailer(body, answer, undecoded) };
  if (type.startsWith('application/connect+'))
    return {
      ...answer,
      body: mapFrames(body, END_STREAM_FLAG, undecoded, (data) => recodeErrorJson(data, 'error', undecoded)),
    };
  // why: a unary Connect answer is complete before it is sent, so whether the request was decoded is known already.
  if (answer.status === 500 && undecoded())
    return { ...answer, status: 400, body: mapChunks(body, (chunk) => recodeErrorJson(chunk, null, () => true)) };
  return answer;
}

async function* thenRecodeTrailer(
  body: AsyncIterable<Uint8Array>,
  answer: UniversalServerResponse,
  undecoded: () => boolean,
): AsyncIterable<Uint8Array> {
  yield* body;
  for (const headers of [answer.header, answer.trailer]) {
    if (headers?.get('grpc-status') === GRPC_INTERNAL && undecoded()) headers.set('grpc-status', GRPC_INVALID_ARGUMENT);
  }
}

async function* mapChunks(
  body: AsyncIterable<Uint8Array>,
  map: (chunk: Uint8Array) => Uint8Array,
): AsyncIterable<Uint8Array> {
  for await (const chunk of body) yield map(chunk);
}

// why: connect-es yields whole envelopes per chunk; a chunk that is not exactly a run of envelopes passes as it is.
// A request that was decoded (every answer that streams messages) is never recoded, so its chunks pass unparsed.
function mapFrames(
  body: AsyncIterable<Uint8Array>,
  flag: number,
  undecoded: () => boolean,
  map: (data: Uint8Array) => Uint8Array,
): AsyncIterable<Uint8Array> {
  const recodable = (frame: { flags: number }): boolean =>
    (frame.flags & flag) !== 0 && (frame.flags & COMPRESSED_FLAG) === 0;
  return mapChunks(body, (chunk) => {
    if (!undecoded()) return chunk;
    const frames: { flags: number; data: Uint8Array }[] = [];
    for (let offset = 0; offset < chunk.length;) {
      if (offset + 5 > chunk.length) return chunk;
      const length = new DataView(chunk.buffer, chunk.byteOffset + offset + 1, 4).getUint32(0);
      if (offset + 5 + length > chunk.length) return chunk;
      frames.push({ flags: chunk[offset]!, data: chunk.subarray(offset + 5, offset + 5 + length) });
      offset += 5 + length;
    }
    if (!frames.some(recodable)) return chunk;
    return join(frames.map((frame) => (recodable(frame) ? { flags: frame.flags, data: map(frame.data) } : frame)));
  });
}

function join(frames: readonly { flags: number; data: Uint8Array }[]): Uint8Array {
  const out = new Uint8Array(frames.reduce((size, frame) => size + 5 + frame.data.length, 0));
  let offset = 0;
  for (const frame of frames) {
    out[offset] = frame.flags;
    new DataView(out.buffer, offset + 1, 4).setUint32(0, frame.data.length);
    out.set(frame.data, offset + 5);
    offset += 5 + frame.data.length;
  }
  return out;
}

function recodeTrailerBlock(data: Uint8Array, undecoded: () => boolean): Uint8Array {
  const text = new TextDecoder().decode(data);
  if (!/^grpc-status: ?13\r?$/im.test(text) || !undecoded()) return data;
  return new TextEncoder().encode(text.replace(/^(grpc-status: ?)13(\r?)$/im, `$1${GRPC_INVALID_ARGUMENT}$2`));
}

function recodeErrorJson(data: Uint8Array, key: 'error' | null, undecoded: () => boolean): Uint8Array {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(data));
  } catch {
    return data;
  }
  const holder = key === null ? parsed : (parsed as Record<string, unknown> | null)?.[key];
  if (
    typeof holder !== 'object' ||
    holder === null ||
    (holder as { code?: unknown }).code !== 'internal' ||
    !undecoded()
  )
    return data;
  (holder as { code: string }).code = 'invalid_argument';
  return new TextEncoder().encode(JSON.stringify(parsed));
}
