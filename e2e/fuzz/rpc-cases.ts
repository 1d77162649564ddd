import { gzipSync } from 'node:zlib';
import { fromJson, ScalarType, toBinary } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { envelope, type RpcProtocol } from './judge-rpc.js';
import { rpcCase, type FuzzCase } from './fuzz-case.js';
import { malformedJson, validJson, type JsonObject, type Malformation } from './message-arbitraries.js';
import { connectProtocol, rpcRequest, type RpcMethod } from './rpc-request.js';

/** The Connect request body limit the gateway enforces (4 MiB). */
export const READ_MAX_BYTES = 4 * 1024 * 1024;

/** What a fuzzed RPC may use: every method, and names the server knows, to reach past "not found". */
export interface RpcWorld {
  readonly methods: readonly RpcMethod[];
  readonly known: readonly string[];
}

const jsonCase = (
  rpc: RpcMethod,
  body: string | Uint8Array,
  expected?: readonly string[],
  headers?: Record<string, string>,
): FuzzCase => {
  const protocol = connectProtocol(rpc);
  return rpcCase(rpc, protocol, rpcRequest(rpc, body, { protocol, json: true, headers }), expected);
};

/** Connect JSON calls of every method (or those `only` picks) with well-typed messages: a success or a proper error. */
export function validJsonCases(
  world: RpcWorld,
  only: (rpc: RpcMethod) => boolean = () => true,
): fc.Arbitrary<FuzzCase> {
  return fc
    .constantFrom(...world.methods.filter(only))
    .chain((rpc) => validJson(rpc.method.input, world.known).map((json) => jsonCase(rpc, JSON.stringify(json))));
}

/** Connect JSON calls with one malformation, for every method whose message can hold it: invalid_argument. */
export function malformedJsonCases(world: RpcWorld, malformation: Malformation): fc.Arbitrary<FuzzCase> {
  const arbs = world.methods.flatMap((rpc) => {
    const arb = malformedJson(rpc.method.input, malformation, world.known);
    return arb ? [arb.map((json) => jsonCase(rpc, JSON.stringify(json), ['invalid_argument']))] : [];
  });
  return fc.oneof(...arbs);
}

/** Connect JSON calls whose top-level string field is huge: resource_exhausted past the limit, else any proper answer. */
export function hugeStringCases(world: RpcWorld): fc.Arbitrary<FuzzCase> {
  const targets = world.methods.flatMap((rpc) =>
    rpc.method.input.fields
      .filter((field) => field.fieldKind === 'scalar' && field.scalar === ScalarType.STRING && !field.oneof)
      .map((field) => ({ rpc, field })),
  );
  return fc
    .tuple(
      fc.constantFrom(...targets),
      fc.constantFrom(70_000, 1_100_000, READ_MAX_BYTES + 1024),
      fc.constantFrom('x', 'é', '\u0000'),
    )
    .map(([{ rpc, field }, bytes, unit]) => {
      const body = JSON.stringify({
        [field.jsonName]: unit.repeat(Math.ceil(bytes / (Buffer.byteLength(JSON.stringify(unit)) - 2))),
      });
      return jsonCase(rpc, body, Buffer.byteLength(body) > READ_MAX_BYTES ? ['resource_exhausted'] : undefined);
    });
}

const INVALID_UTF8 = [
  [0xff],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0x80],
  [0xe2, 0x82],
  [0xf4, 0x90, 0x80, 0x80],
  [0xfe, 0xfe, 0xff],
].map((bytes) => Buffer.from(bytes));

/** Connect JSON calls whose text is not UTF-8 inside a string value: a success or a proper error. */
export function invalidUtf8Cases(world: RpcWorld): fc.Arbitrary<FuzzCase> {
  const targets = world.methods.filter((rpc) =>
    rpc.method.input.fields.some(
      (field) => field.fieldKind === 'scalar' && field.scalar === ScalarType.STRING && !field.oneof,
    ),
  );
  return fc
    .tuple(fc.constantFrom(...targets), fc.constantFrom(...INVALID_UTF8), fc.boolean())
    .map(([rpc, bad, inKey]) => {
      const field = rpc.method.input.fields.find(
        (candidate) => candidate.fieldKind === 'scalar' && candidate.scalar === ScalarType.STRING && !candidate.oneof,
      )!;
      const [before, after] = inKey ? [`{"${field.jsonName}":"a","k`, '":1}'] : [`{"${field.jsonName}":"ca`, 'rt"}'];
      return jsonCase(rpc, Buffer.concat([Buffer.from(before), bad, Buffer.from(after)]));
    });
}

const notJson = (text: string): boolean => {
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
};

/** Connect JSON calls whose body is not a JSON object (not JSON, a scalar, an array, nested far): invalid_argument. */
export function nonJsonCases(world: RpcWorld): fc.Arbitrary<FuzzCase> {
  const text = fc.oneof(
    fc.constantFrom(
      '{',
      '{"query":',
      '}',
      'nope',
      'NaN',
      "{'query':'x'}",
      '{"query":"x",}',
      '\u0000',
      'null',
      '[]',
      '1',
      '"x"',
      'true',
      '[{}]',
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`,
    ),
    fc.string({ minLength: 1, maxLength: 60 }).filter(notJson),
    fc
      .jsonValue({ maxDepth: 2 })
      .filter((value) => value === null || typeof value !== 'object' || Array.isArray(value))
      .map((value) => JSON.stringify(value)),
  );
  return fc
    .tuple(fc.constantFrom(...world.methods), text)
    .map(([rpc, body]) => jsonCase(rpc, body, ['invalid_argument']));
}

/** Connect calls of unary methods with a valid JSON body but a content type that is not Connect's: HTTP 415. */
export function wrongContentTypeCases(world: RpcWorld): fc.Arbitrary<FuzzCase> {
  const unary = world.methods.filter((rpc) => !rpc.streaming);
  const types = fc.constantFrom(
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    'application/jsonx',
    'image/png',
    'application/connect+json',
  );
  return fc
    .tuple(fc.constantFrom(...unary), types)
    .map(([rpc, type]) =>
      rpcCase(rpc, 'connect', { method: 'POST', path: rpc.path, headers: { 'content-type': type }, body: '{}' }, [
        'http_415',
      ]),
    );
}

/** Connect calls with odd but readable content types, empty bodies and odd headers: a success or a proper error. */
export function oddEnvelopeCases(world: RpcWorld): fc.Arbitrary<FuzzCase> {
  const header = fc.oneof(
    fc.record({ 'connect-timeout-ms': fc.constantFrom('-1', '0', 'abc', '1e3', '99999999999', '1', '') }),
    fc.record({ 'connect-protocol-version': fc.constantFrom('2', '', 'x', '1 ') }),
    fc.record({ 'content-encoding': fc.constantFrom('gzip', 'br', 'identity', 'nope', 'gzip, gzip') }),
    fc.record({ 'accept-encoding': fc.constantFrom('nope', '*', 'gzip;q=2') }),
    fc.record({ authorization: fc.constantFrom('Bearer x', 'Basic !!!', '', 'Bearer') }),
    fc.record({
      traceparent: fc.constantFrom('00-zz-zz-01', 'x', '00-00000000000000000000000000000000-0000000000000000-00'),
    }),
    fc.record({
      'content-type': fc.constantFrom(
        'application/json; charset=latin1',
        'APPLICATION/JSON',
        'application/json;charset=utf-16',
        'application/json; charset=utf-8',
        'application/proto',
      ),
    }),
  );
  return fc
    .tuple(fc.constantFrom(...world.methods), header, fc.constantFrom('', '{}'))
    .map(([rpc, headers, body]) => jsonCase(rpc, body, undefined, headers));
}

const validBinary = (rpc: RpcMethod, known: readonly string[]): fc.Arbitrary<Uint8Array> =>
  validJson(rpc.method.input, known).map((json: JsonObject) =>
    toBinary(rpc.method.input, fromJson(rpc.method.input, json as never)),
  );

/** Binary payloads for a method: valid messages, valid ones cut short, random bytes. */
const binaryPayload = (rpc: RpcMethod, known: readonly string[]): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    validBinary(rpc, known),
    validBinary(rpc, known).chain((bytes) =>
      fc.nat({ max: Math.max(0, bytes.length - 1) }).map((cut) => bytes.subarray(0, cut)),
    ),
    fc.uint8Array({ maxLength: 200 }),
    fc.constantFrom(
      Uint8Array.of(0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f),
      Uint8Array.of(0x0a, 0x02, 0xff, 0xfe),
      Uint8Array.of(0x0b),
      Uint8Array.of(0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01),
    ),
  );

/** Connect binary calls (application/proto, enveloped when streaming) with valid, truncated and random messages. */
export function binaryConnectCases(world: RpcWorld): fc.Arbitrary<FuzzCase> {
  return fc
    .constantFrom(...world.methods)
    .chain((rpc) =>
      binaryPayload(rpc, world.known).map((bytes) =>
        rpcCase(rpc, connectProtocol(rpc), rpcRequest(rpc, bytes, { protocol: connectProtocol(rpc) })),
      ),
    );
}

/** A gRPC body framed wrong in one way: a length too long or too short, odd flags, two messages, none, a cut prefix. */
const framing = (bytes: Uint8Array): fc.Arbitrary<Buffer> =>
  fc.oneof(
    fc.integer({ min: 1, max: 1 << 20 }).map((extra) => envelope(bytes, 0, bytes.length + extra)),
    fc.nat({ max: bytes.length }).map((short) => envelope(bytes, 0, bytes.length - short)),
    fc.integer({ min: 1, max: 255 }).map((flags) => envelope(bytes, flags)),
    fc.constant(Buffer.concat([envelope(bytes), envelope(bytes)])),
    fc.constant(Buffer.alloc(0)),
    fc.constant(envelope(bytes).subarray(0, 3)),
  );

/** gRPC (HTTP/2) or gRPC-Web (HTTP/1.1) calls with valid, truncated and random messages, framed right (`framed`: wrong). */
export function grpcCases(
  world: RpcWorld,
  protocol: Extract<RpcProtocol, 'grpc' | 'grpc-web'>,
  misframed = false,
): fc.Arbitrary<FuzzCase> {
  const headers = fc.oneof(
    { arbitrary: fc.constant({}), weight: 4 },
    fc.record({ 'grpc-timeout': fc.constantFrom('0n', '1n', 'abc', '99999999H', '-1S', '1', '100000000m') }),
    fc.record({ 'grpc-encoding': fc.constantFrom('gzip', 'nope', 'identity', 'deflate') }),
    fc.record({
      'content-type': fc.constantFrom(
        `application/${protocol}`,
        `application/${protocol}+json`,
        `application/${protocol}+nope`,
        `application/${protocol}-text`,
      ),
    }),
  );
  return fc
    .tuple(fc.constantFrom(...world.methods), headers)
    .chain(([rpc, extra]) =>
      (misframed
        ? validBinary(rpc, world.known).chain(framing)
        : binaryPayload(rpc, world.known).map((bytes) => envelope(bytes))
      ).map((body) =>
        rpcCase(rpc, protocol, rpcRequest(rpc, body, { protocol, framed: true, headers: misframed ? {} : extra })),
      ),
    );
}

/** Connect GET calls of the methods declared free of side effects, with odd query strings; others get 405. */
export function connectGetCases(world: RpcWorld): fc.Arbitrary<FuzzCase> {
  const idempotent = world.methods.filter((rpc) => rpc.idempotent && !rpc.streaming);
  const others = world.methods.filter((rpc) => !rpc.idempotent);
  const message = fc.oneof(
    fc
      .constantFrom(...idempotent)
      .chain((rpc) => validJson(rpc.method.input, world.known))
      .map((json) => JSON.stringify(json)),
    fc.string({ maxLength: 40 }),
    fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
  );
  const query = fc.record(
    {
      connect: fc.constantFrom('v1', 'v2', ''),
      encoding: fc.constantFrom('json', 'proto', 'nope', ''),
      message,
      base64: fc.constantFrom('1', '0', 'x'),
      compression: fc.constantFrom('gzip', 'identity', 'nope'),
    },
    { requiredKeys: ['message'] },
  );
  const get = (rpc: RpcMethod, params: Record<string, string>) => ({
    method: 'GET',
    path: `${rpc.path}?${new URLSearchParams(params).toString()}`,
  });
  return fc.oneof(
    {
      arbitrary: fc
        .tuple(fc.constantFrom(...idempotent), query)
        .map(([rpc, params]) => rpcCase(rpc, 'connect', get(rpc, params as Record<string, string>))),
      weight: 4,
    },
    fc
      .tuple(fc.constantFrom(...others), query)
      .map(([rpc, params]) =>
        rpcCase(rpc, 'connect', get(rpc, { connect: 'v1', encoding: 'json', ...(params as Record<string, string>) }), [
          'http_405',
        ]),
      ),
  );
}

/** Calls of methods no service has (unknown names, unknown services, wrong case) in every protocol: unimplemented (HTTP 404). */
export function unknownMethodCases(world: RpcWorld): fc.Arbitrary<FuzzCase> {
  const services = [...new Set(world.methods.map((rpc) => rpc.service))];
  const taken = new Set(world.methods.map((rpc) => rpc.path));
  const service = fc.oneof(
    fc.constantFrom(...services.map((entry) => entry.typeName)),
    fc.constantFrom('conexus.v1.Nope', 'conexus.v2.ContextService', 'conexus.v1.contextservice', 'ContextService', ''),
  );
  const method = fc.oneof(
    fc.constantFrom('Nope', 'search', 'SEARCH', 'Search ', 'Search/', ''),
    fc.string({ minLength: 1, maxLength: 20 }),
  );
  const protocol = fc.constantFrom<RpcProtocol>('connect', 'grpc', 'grpc-web');
  return fc
    .tuple(service, method, protocol)
    .map(([typeName, name, chosen]) => ({ path: `/${typeName}/${encodeURIComponent(name)}`, chosen }))
    .filter(({ path }) => !taken.has(path) && !taken.has(decodeURIComponent(path)))
    .map(({ path, chosen }) => {
      const rpc = { ...world.methods[0]!, path, streaming: false };
      return rpcCase(
        rpc,
        chosen,
        rpcRequest(rpc, chosen === 'connect' ? '{}' : new Uint8Array(), {
          protocol: chosen,
          json: chosen === 'connect',
        }),
        ['http_404', 'unimplemented'],
      );
    });
}

/** A message just over the limit: one length-delimited unknown field (number 15), or a JSON string of that size. */
const oversizeProto = (size: number): Buffer => {
  const length: number[] = [];
  for (let rest = size; ; rest = Math.floor(rest / 128)) {
    if (rest < 128) {
      length.push(rest);
      break;
    }
    length.push((rest % 128) | 0x80);
  }
  return Buffer.concat([Buffer.from([0x7a, ...length]), Buffer.alloc(size, 0x78)]);
};

/**
 * Calls of every method, in every protocol, whose one message is over the 4 MiB limit, from clients that stop
 * sending once answered or send it all first: resource_exhausted, promptly, on a connection still open to read it.
 */
export function oversizeMessageCases(world: RpcWorld): fc.Arbitrary<FuzzCase> {
  const sizes = [READ_MAX_BYTES + 1024, (READ_MAX_BYTES * 3) / 2];
  const proto = sizes.map(oversizeProto);
  const json = sizes.map((size) => Buffer.from(JSON.stringify({ x: 'x'.repeat(size) })));
  const protocols = fc.constantFrom<{ protocol: RpcProtocol; json: boolean }>(
    { protocol: 'connect', json: true },
    { protocol: 'connect', json: false },
    { protocol: 'grpc', json: false },
    { protocol: 'grpc-web', json: false },
  );
  return fc
    .tuple(fc.constantFrom(...world.methods), protocols, fc.boolean(), fc.constantFrom(0, 1))
    .map(([rpc, { protocol, json: useJson }, uploadFirst, size]) => {
      const chosen = protocol === 'connect' ? connectProtocol(rpc) : protocol;
      return rpcCase(
        rpc,
        chosen,
        { ...rpcRequest(rpc, (useJson ? json : proto)[size]!, { protocol: chosen, json: useJson }), uploadFirst },
        ['resource_exhausted'],
      );
    });
}

/** Compressed payloads that cannot be read: not gzip at all, cut short; or that inflate past the limit (a bomb). */
const COMPRESSED = (() => {
  const json = gzipSync(Buffer.from('{}'));
  return {
    garbage: Buffer.from('not gzip at all'),
    truncated: json.subarray(0, json.length - 6),
    bomb: gzipSync(Buffer.alloc(READ_MAX_BYTES * 2, 0x20)),
  };
})();

/**
 * Compressed messages in every protocol (Content-Encoding, Connect-Content-Encoding, grpc-encoding with the
 * compressed flag, GET's compression parameter): invalid_argument when unreadable, resource_exhausted when they
 * inflate past the limit.
 */
export function compressedCases(world: RpcWorld): fc.Arbitrary<FuzzCase> {
  const kinds = fc.constantFrom<keyof typeof COMPRESSED>('garbage', 'truncated', 'bomb');
  const protocols = fc.constantFrom<RpcProtocol | 'get'>('connect', 'grpc', 'grpc-web', 'get');
  return fc.tuple(fc.constantFrom(...world.methods), protocols, kinds).map(([rpc, protocol, kind]) => {
    const data = COMPRESSED[kind];
    const expected = [kind === 'bomb' ? 'resource_exhausted' : 'invalid_argument'];
    if (protocol === 'get') {
      const query = new URLSearchParams({
        connect: 'v1',
        encoding: 'json',
        base64: '1',
        compression: 'gzip',
        message: data.toString('base64url'),
      });
      return rpcCase(
        rpc,
        'connect',
        { method: 'GET', path: `${rpc.path}?${query.toString()}` },
        rpc.idempotent && !rpc.streaming ? expected : ['http_405'],
      );
    }
    const chosen = protocol === 'connect' ? connectProtocol(rpc) : protocol;
    const header =
      chosen === 'connect'
        ? 'content-encoding'
        : chosen === 'connect-stream'
          ? 'connect-content-encoding'
          : 'grpc-encoding';
    const body = chosen === 'connect' ? data : envelope(data, 1);
    return rpcCase(
      rpc,
      chosen,
      rpcRequest(rpc, body, {
        protocol: chosen,
        json: protocol === 'connect',
        framed: true,
        headers: { [header]: 'gzip' },
      }),
      expected,
    );
  });
}
