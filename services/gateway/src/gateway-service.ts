import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'node:net';
import { create, fromBinary, toBinary, type DescMessage, type Message } from '@bufbuild/protobuf';
import { Code, ConnectError, createConnectRouter, createRouterTransport, type ConnectRouter, type HandlerContext, type Interceptor } from '@connectrpc/connect';
import { context, propagation, SpanKind, SpanStatusCode, trace, type TextMapGetter } from '@opentelemetry/api';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import {
  ContextService,
  Health,
  HealthCheckResponseSchema,
  HealthCheckResponse_ServingStatus,
  IndexEventSchema,
  IndexService,
  IndexState,
  ListReposRequestSchema,
  PolicyService,
  ServerReflection,
  type RepoSource,
} from '@conexus/api';
import type { Bus } from '@conexus/bus';
import { ConexusError } from '@conexus/kernel';
import { formatPrincipal, type Principal } from '@conexus/access';
import { createGatewayClient } from '@conexus/client';
import { auditQuery, type AuditEvent, type AuditLog, type AuditQueryMode } from '@conexus/audit';
import { ALL_INDEX_EVENTS, HEADERS, querySubject, shardQueue } from '@conexus/sharding';
import type { Logger } from '@conexus/telemetry';
import { createServerReflection } from './adapters/connect/server-reflection.js';
import { toConnectError } from './adapters/connect/to-connect-error.js';
import { createGatewayMetrics } from './adapters/http/gateway-metrics.js';
import { listenH2cAndHttp1, type DualHandler } from './adapters/http/listen-h2c-and-http1.js';
import { createContinueEndpoint } from './adapters/http/continue-endpoint.js';
import { createMcpEndpoint } from './adapters/http/mcp-endpoint.js';
import { refuseForeignHost, type HostAccess } from './adapters/http/host-guard.js';
import { findUnknownEnum } from './adapters/connect/find-unknown-enum.js';
import type { Authenticate } from './adapters/auth/create-authenticator.js';
import { challenge, METADATA_PATHS, protectedResourceMetadata, type ProtectedResource } from './adapters/http/protected-resource.js';
import { createHandlers } from './app/create-handlers.js';
import { createPolicyHandlers } from './app/create-policy-handlers.js';

/** How the gateway is wired. */
export interface GatewayOptions {
  readonly bus: Bus;
  readonly shardCount: number;
  readonly port: number;
  readonly host: string;
  /** Who the caller is, from the Authorization header; fails `unauthenticated`. */
  readonly authenticate: Authenticate;
  /** `policy`: scopes, repository management and the admin API go through the policy service. */
  readonly access: 'policy' | 'none';
  /** Where reads, admin calls and authentication failures are recorded; null records nothing. */
  readonly audit?: AuditLog | null;
  /** Record query text in clear, or only its hash. */
  readonly auditQuery?: AuditQueryMode;
  /** The OAuth protected resource to describe at `/.well-known/oauth-protected-resource` and in 401 challenges. */
  readonly oauth?: ProtectedResource | null;
  readonly log: Logger;
  readonly maxRequestBytes?: number;
  readonly defaultTimeoutMs?: number;
  /** Answer only these Host names and browser origins, on every route; absent, any (a gateway behind its own ingress). */
  readonly hosts?: HostAccess | null;
  /** Serve MCP at `/mcp` to these hosts and origins; absent, `/mcp` is not served. */
  readonly mcp?: HostAccess | null;
  /** Refuses an AddRepo source before a job is queued (the embedded server's source roots); absent, the indexer alone decides. */
  readonly checkSource?: (source: RepoSource) => void;
}

/** A running gateway. */
export interface Gateway {
  readonly url: string;
  readonly port: number;
  /** Every path this gateway answers: its HTTP routes and each RPC's `/<service>/<method>`. */
  readonly paths: readonly string[];
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 2_000;
const GATEWAY_VERSION = '0.1.0';
const tracer = trace.getTracer('conexus-gateway');
const HEADER_GETTER: TextMapGetter<Headers> = { get: (headers, key) => headers.get(key) ?? undefined, keys: (headers) => [...headers.keys()] };
const READY_REQUEST = toBinary(ListReposRequestSchema, create(ListReposRequestSchema));
const READY_HEADERS = { [HEADERS.principal]: formatPrincipal({ issuer: 'conexus:probe', subject: 'readyz', tenant: '', groups: [], roles: [] }) };

/** Starts the public API on one port: gRPC, gRPC-Web and Connect (JSON over HTTP/1.1 too), health and metrics. */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { bus, log } = options;
  const queuedAt = new Map<string, number>();
  const events = bus.subscribe(ALL_INDEX_EVENTS, (message) => {
    const event = fromBinary(IndexEventSchema, message.data);
    if (event.state === IndexState.QUEUED && !queuedAt.has(event.repo)) queuedAt.set(event.repo, Date.now());
    if (event.state === IndexState.DONE || event.state === IndexState.FAILED) queuedAt.delete(event.repo);
  });
  const metrics = createGatewayMetrics({
    queueDepth: async () => new Map(await Promise.all([...Array(options.shardCount).keys()].map(async (shard) => [shard, await bus.pending(shardQueue(shard))] as const))),
    indexLag: () => new Map([...queuedAt].map(([repo, at]) => [repo, (Date.now() - at) / 1000])),
  });
  const observe: Interceptor = (next) => (request) => {
    const method = `${request.service.typeName}/${request.method.name}`;
    const parent = propagation.extract(context.active(), request.header, HEADER_GETTER);
    return context.with(parent, () =>
      tracer.startActiveSpan(method, { kind: SpanKind.SERVER, attributes: { 'rpc.system': 'connect_rpc', 'rpc.method': method } }, async (span) => {
        const started = performance.now();
        try {
          if (!request.stream) refuseUnknownEnums(request.method.input, request.message);
          const response = await next(request);
          metrics.observeRequest(method, 'ok', (performance.now() - started) / 1000);
          // why: a streaming handler fails while it is iterated, after this interceptor returned; its errors are translated here too.
          return response.stream ? { ...response, message: translateErrors(response.message) } : response;
        } catch (reason) {
          const error = toConnectError(reason);
          metrics.observeRequest(method, String(error.code), (performance.now() - started) / 1000);
          span.setStatus({ code: SpanStatusCode.ERROR, message: error.rawMessage });
          if (error.code === Code.Internal) log.error('request failed', { method, error: reason });
          throw error;
        } finally {
          span.end();
        }
      }),
    );
  };
  const audit = options.audit ?? null;
  const append = async (event: AuditEvent): Promise<void> => {
    if (audit) await audit.append(event);
  };
  const who = (principal: Principal) => ({ issuer: principal.issuer, subject: principal.subject, tenant: principal.tenant });
  const recordAuthFailure = (method: string, reason: string): Promise<void> =>
    append({ kind: 'auth_failure', at: new Date().toISOString(), principal: null, outcome: 'denied', detail: { method, reason } });
  // why: MCP and Continue reuse the RPC handlers in memory, so they answer exactly what the RPCs answer, under
  // the caller's own credentials: the HTTP request's Authorization header rides along to every in-memory call,
  // and so does the principal once the HTTP edge has authenticated it, so that it is not authenticated again.
  const caller = new AsyncLocalStorage<{ readonly authorization: string | undefined; readonly principal: Principal | null }>();
  const authenticated = new WeakMap<HandlerContext, Promise<Principal>>();
  // why: a request authenticates once, however many steps ask who the caller is.
  const principalOf = (context: HandlerContext): Promise<Principal> => {
    let principal = authenticated.get(context);
    if (!principal) {
      const known = caller.getStore()?.principal;
      principal = known
        ? Promise.resolve(known)
        : options.authenticate(context.requestHeader.get('authorization')).catch(async (error: unknown) => {
            await recordAuthFailure(`${context.service.typeName}/${context.method.name}`, error instanceof Error ? error.message : String(error));
            throw error;
          });
      authenticated.set(context, principal);
    }
    return principal;
  };
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 10_000;
  const handlers = createHandlers({
    bus,
    shardCount: options.shardCount,
    principalOf,
    access: options.access,
    defaultTimeoutMs,
    checkSource: options.checkSource,
    recordAccess: (principal, access) =>
      append({
        kind: access.kind,
        at: new Date().toISOString(),
        principal: who(principal),
        outcome: access.outcome,
        repos: access.repos,
        chunks: access.chunks,
        ...(access.query !== undefined ? auditQuery(access.query, options.auditQuery ?? 'text') : {}),
        detail: access.detail,
      }),
  });
  const policy = createPolicyHandlers({
    bus,
    access: options.access,
    principalOf,
    timeoutMs: defaultTimeoutMs,
    recordAdmin: (principal, method, outcome) => append({ kind: 'admin', at: new Date().toISOString(), principal: who(principal), outcome, detail: { method } }),
  });
  const ready = async (): Promise<boolean> =>
    bus.request(querySubject('repos'), READY_REQUEST, { timeoutMs: READY_TIMEOUT_MS, headers: READY_HEADERS }).then(
      () => true,
      // why: the probe principal may be refused by access control, which still proves the query path is up.
      (error: unknown) => error instanceof ConexusError && error.code !== 'unavailable' && error.code !== 'deadline_exceeded',
    );
  const reflection = createServerReflection([ContextService, IndexService, PolicyService, Health, ServerReflection]);
  const routes = (router: ConnectRouter): void => {
    router.service(ContextService, handlers.context);
    router.service(IndexService, handlers.index);
    router.service(PolicyService, policy);
    router.service(Health, {
      check: async () => create(HealthCheckResponseSchema, { status: (await ready()) ? HealthCheckResponse_ServingStatus.SERVING : HealthCheckResponse_ServingStatus.NOT_SERVING }),
    });
    router.service(ServerReflection, reflection);
  };
  const connect = connectNodeAdapter({
    routes,
    interceptors: [observe],
    readMaxBytes: options.maxRequestBytes ?? 4 * 1024 * 1024,
    requireConnectProtocolHeader: false,
    // why: a misspelt field ({"qeury": …}) silently ignored gives a confident wrong answer; it is invalid_argument instead.
    jsonOptions: { ignoreUnknownFields: false },
  });
  const routeTable = createConnectRouter();
  routes(routeTable);
  const httpPaths = ['/healthz', '/readyz', '/metrics', '/continue', ...(options.mcp ? ['/mcp'] : []), ...(options.oauth ? METADATA_PATHS : [])];
  const paths = [...httpPaths, ...routeTable.handlers.map((handler) => handler.requestPath)];
  const forwardCredentials: Interceptor = (next) => (request) => {
    const authorization = caller.getStore()?.authorization;
    if (authorization) request.header.set('authorization', authorization);
    return next(request);
  };
  const self = createGatewayClient(createRouterTransport(routes, { router: { interceptors: [observe] }, transport: { interceptors: [forwardCredentials] } }));
  const mcp = options.mcp ? createMcpEndpoint(self, options.mcp, GATEWAY_VERSION) : null;
  const continueProvider = createContinueEndpoint(self);
  const handler: DualHandler = (request, response) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    const reply = (status: number, type: string, body: string): void => {
      response.writeHead(status, { 'content-type': type });
      response.end(body);
    };
    // why: DNS rebinding and cross-site protection for every route, here where no route can be added before it.
    const refusal = options.hosts ? refuseForeignHost(request.headers, options.hosts) : null;
    if (refusal) return reply(403, 'application/json', JSON.stringify({ code: 'permission_denied', message: refusal }));
    if (path === '/healthz') return reply(200, 'text/plain', 'ok\n');
    if (path === '/readyz') return void ready().then((ok) => reply(ok ? 200 : 503, 'text/plain', ok ? 'ready\n' : 'not ready\n'));
    if (path === '/metrics') {
      return void metrics.registry.metrics().then((text) => reply(200, metrics.registry.contentType, text), (error: unknown) => reply(500, 'text/plain', String(error)));
    }
    if (options.oauth && METADATA_PATHS.includes(path)) return reply(200, 'application/json', JSON.stringify(protectedResourceMetadata(options.oauth, path)));
    if ((path === '/mcp' && mcp) || path === '/continue') {
      const incoming = request as IncomingMessage;
      const outgoing = response as ServerResponse;
      // why: DNS rebinding protection comes first: a refused Host or Origin gets 403, never a challenge built from its Host.
      if (path === '/mcp' && !mcp!.admits(incoming, outgoing)) return;
      const serve = (principal: Principal | null): void =>
        caller.run({ authorization: incoming.headers.authorization, principal }, () => (path === '/mcp' ? mcp!.serve(incoming, outgoing) : continueProvider(incoming, outgoing)));
      if (options.access !== 'policy') return serve(null);
      // why: MCP clients discover how to sign in from a 401 challenge, so an unauthenticated request never reaches the tools.
      const proto = incoming.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
      const base = `${proto}://${incoming.headers.host ?? 'localhost'}`;
      return void options.authenticate(incoming.headers.authorization).then(serve, async (error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        await recordAuthFailure(path, reason).catch(() => undefined);
        if (error instanceof ConexusError && error.code === 'unavailable') return reply(503, 'application/json', JSON.stringify({ error: 'temporarily_unavailable', error_description: reason }));
        challenge(outgoing, base, incoming.headers.authorization ? 'invalid_token' : 'missing', reason);
      });
    }
    connect(request as never, response as never);
  };
  const server: Server = await listenH2cAndHttp1(handler, options.port, options.host);
  const port = (server.address() as { port: number }).port;
  log.info('gateway listening', { host: options.host, port });
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    port,
    paths,
    async stop() {
      await events.unsubscribe();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}


function refuseUnknownEnums(schema: DescMessage, message: unknown): void {
  const field = findUnknownEnum(schema, message as Message);
  if (field) throw new ConnectError(`${field}: unknown enum value`, Code.InvalidArgument);
}

async function* translateErrors<T>(messages: AsyncIterable<T>): AsyncIterable<T> {
  try {
    yield* messages;
  } catch (reason) {
    throw toConnectError(reason);
  }
}
