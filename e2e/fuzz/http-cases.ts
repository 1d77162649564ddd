import fc from 'fast-check';
import type { Answer } from './exchange.js';
import { describeAnswer, fuzzCase, type FuzzCase } from './fuzz-case.js';
import { AWKWARD_STRINGS } from './message-arbitraries.js';

/** The Continue endpoint's body limit (1 MiB). */
export const CONTINUE_MAX_BYTES = 1024 * 1024;

/** What is wrong with any HTTP answer: a server error, a broken connection or a hang; null when none. */
export function serverFault(answer: Answer): string | null {
  if (answer.kind !== 'answered') return describeAnswer(answer);
  // why: 505 is Connect refusing a bidi stream over HTTP/1.1, a statement about the protocol, not a failure.
  return answer.status >= 500 && answer.status !== 505 ? describeAnswer(answer) : null;
}

const json = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** A Continue answer: 200 with a JSON list of context items, or 400 with a JSON error that is not an internal one. */
function judgeContinue(answer: Answer): string | null {
  const fault = serverFault(answer);
  if (fault || answer.kind !== 'answered') return fault;
  const body = json(answer.body.toString('utf8'));
  if (answer.status === 200 && Array.isArray(body)) return null;
  if (answer.status === 400 && typeof (body as { error?: unknown } | undefined)?.error === 'string') {
    return /internal/i.test((body as { error: string }).error)
      ? `an internal error told as a bad request: ${describeAnswer(answer)}`
      : null;
  }
  return `expected 200 with context items or 400 with an error: ${describeAnswer(answer)}`;
}

const queryParam = fc.record(
  {
    repos: fc.oneof(fc.constantFrom('fuzzshop', 'a,b', ',', ''), fc.string()),
    unit: fc.oneof(fc.constantFrom('chunk', 'symbol', 'file', 'nope', ''), fc.string()),
    top_k: fc.oneof(fc.constantFrom('-1', '0', '1e9', 'NaN', 'x', '51'), fc.integer().map(String)),
    max_tokens: fc.oneof(fc.constantFrom('-1', '0', '1e12', 'Infinity'), fc.integer().map(String)),
  },
  { requiredKeys: [] },
);

/** POSTs to /continue: JSON of any shape, questions of any type, odd query strings, text that is not JSON. */
export function continueCases(): fc.Arbitrary<FuzzCase> {
  const question = fc.oneof(
    fc.constantFrom(...AWKWARD_STRINGS, 'cart total', 'x'.repeat(30_000)),
    fc.string(),
    fc.jsonValue({ maxDepth: 2 }),
  );
  const body = fc.oneof(
    {
      arbitrary: fc.constantFrom('null', '[]', '1', '"cart"', 'true', '{}', '{"query":null}', '{"query":"cart"}', ''),
      weight: 3,
    },
    fc.record({ query: question, fullInput: question }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
    fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
    fc.string({ maxLength: 80 }),
    fc.uint8Array({ maxLength: 80 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  );
  const type = fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', '');
  return fc.tuple(body, type, queryParam).map(([text, contentType, params]) =>
    fuzzCase(
      {
        method: 'POST',
        path: `/continue?${new URLSearchParams(params as Record<string, string>).toString()}`,
        headers: contentType ? { 'content-type': contentType } : {},
        body: text,
      },
      judgeContinue,
    ),
  );
}

/**
 * Bodies over the Continue limit, sent with a length or chunked, by clients that stop sending once answered or
 * send it all first: 413, readable before the connection closes.
 */
export function oversizeContinueCases(): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(
      fc.constantFrom(CONTINUE_MAX_BYTES + 1, 2 * CONTINUE_MAX_BYTES, 8 * CONTINUE_MAX_BYTES),
      fc.boolean(),
      fc.boolean(),
    )
    .map(([size, chunked, uploadFirst]) =>
      fuzzCase(
        {
          method: 'POST',
          path: '/continue',
          uploadFirst,
          headers: { 'content-type': 'application/json', ...(chunked ? { 'transfer-encoding': 'chunked' } : {}) },
          body: JSON.stringify({ query: 'q'.repeat(size) }),
        },
        (answer) =>
          answer.kind === 'answered' && answer.status === 413
            ? null
            : `a body of ${size} bytes${chunked ? ' (chunked)' : ''}: ${describeAnswer(answer)}, expected 413`,
      ),
    );
}

/** The JSON-RPC methods an MCP client sends, and some it must not. */
const MCP_METHODS = [
  'initialize',
  'tools/list',
  'tools/call',
  'ping',
  'resources/list',
  'prompts/list',
  'notifications/initialized',
  'notifications/cancelled',
  'completion/complete',
  'logging/setLevel',
  'nope',
  '',
];
const MCP_TOOL_NAMES = ['search', 'search_code', 'read_file', 'get_file', 'find_symbol', 'list_repos', 'nope'];

/** An MCP answer: never a server error nor a JSON-RPC internal error (-32603), nor a tool result that says "internal error". */
function judgeMcp(answer: Answer): string | null {
  const fault = serverFault(answer);
  if (fault || answer.kind !== 'answered') return fault;
  const text = answer.body.toString('utf8');
  if (/"code"\s*:\s*-32603/.test(text) || /internal error/i.test(text))
    return `an internal error: ${describeAnswer(answer)}`;
  return null;
}

/** JSON-RPC garbage for /mcp: odd methods, params, ids, versions, batches, non-JSON; with right and wrong headers. */
export function mcpCases(toolNames: readonly string[]): fc.Arbitrary<FuzzCase> {
  const id = fc.oneof(
    fc.integer(),
    fc.string({ maxLength: 8 }),
    fc.constant(null),
    fc.constant(undefined),
    fc.boolean(),
    fc.object({ maxDepth: 1 }),
  );
  const args = fc.oneof(
    fc.dictionary(
      fc.constantFrom(
        'query',
        'repo',
        'path',
        'name',
        'repos',
        'top_k',
        'topK',
        'start_line',
        'end_line',
        'unit',
        'kind',
        'max_tokens',
      ),
      fc.oneof(fc.constantFrom(...AWKWARD_STRINGS, 'fuzzshop', 'shop/cart.py'), fc.jsonValue({ maxDepth: 1 })),
    ),
    fc.jsonValue({ maxDepth: 2 }),
  );
  const params = fc.oneof(
    fc.record({ name: fc.constantFrom(...toolNames, ...MCP_TOOL_NAMES), arguments: args }, { requiredKeys: [] }),
    fc.record(
      {
        protocolVersion: fc.constantFrom('2025-06-18', '2026-07-28', '1999-01-01', ''),
        capabilities: fc.jsonValue({ maxDepth: 1 }),
        clientInfo: fc.jsonValue({ maxDepth: 1 }),
      },
      { requiredKeys: [] },
    ),
    fc.jsonValue({ maxDepth: 2 }),
  );
  const message = fc.record(
    {
      jsonrpc: fc.constantFrom('2.0', '1.0', 2, undefined),
      id,
      method: fc.oneof(fc.constantFrom(...MCP_METHODS), fc.string({ maxLength: 12 })),
      params,
    },
    { requiredKeys: ['method'] },
  );
  const body = fc.oneof(
    fc.constantFrom(
      'null',
      '[]',
      '1',
      '{}',
      '[null]',
      '{"jsonrpc":"2.0"}',
      '{"jsonrpc":"2.0","id":1,"method":"tools/call"}',
      '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":null}',
      '',
    ),
    { arbitrary: message.map((value) => JSON.stringify(value)), weight: 5 },
    fc.array(message, { maxLength: 3 }).map((value) => JSON.stringify(value)),
    fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
    fc.string({ maxLength: 60 }),
  );
  const headers = fc.record(
    {
      accept: fc.constantFrom('application/json, text/event-stream', 'application/json', 'text/event-stream', '*/*'),
      'content-type': fc.constantFrom('application/json', 'text/plain'),
      'mcp-protocol-version': fc.constantFrom('2025-06-18', '2026-07-28', 'x'),
      'mcp-session-id': fc.constantFrom('x', '../..', '0'),
    },
    { requiredKeys: ['accept', 'content-type'] },
  );
  return fc
    .tuple(body, headers)
    .map(([text, head]) => fuzzCase({ method: 'POST', path: '/mcp', headers: head, body: text }, judgeMcp));
}

/** Paths nothing is served at: 404. */
export function unknownPathCases(served: readonly string[]): fc.Arbitrary<FuzzCase> {
  const path = fc.oneof(
    fc.webPath(),
    fc.constantFrom(
      '/',
      '/healthz/',
      '/HEALTHZ',
      '/mcp/x',
      '/continue/',
      '/.well-known/oauth-protected-resource',
      '/conexus.v1.ContextService',
      '/conexus.v1.ContextService/',
      '/%2e%2e/etc/passwd',
      '//healthz',
    ),
  );
  return fc
    .tuple(path, fc.constantFrom('GET', 'POST'))
    .filter(([candidate]) => !served.includes(candidate.split('?')[0]!) && candidate.startsWith('/'))
    .map(([candidate, method]) =>
      fuzzCase(
        {
          method,
          path: candidate,
          headers: { 'content-type': 'application/json' },
          body: method === 'POST' ? '{}' : undefined,
        },
        (answer) =>
          answer.kind === 'answered' && answer.status === 404
            ? null
            : `${method} ${candidate}: ${describeAnswer(answer)}, expected 404`,
      ),
    );
}
