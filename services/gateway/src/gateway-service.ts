import type { Server } from 'node:net';
import { createConnectRouter, createRouterTransport } from '@connectrpc/connect';
import type { RepoSource } from '@conexus/api';
import type { Bus } from '@conexus/bus';
import { createGatewayClient } from '@conexus/client';
import type { AuditLog, AuditQueryMode } from '@conexus/audit';
import { shardQueue } from '@conexus/wire';
import type { Logger } from '@conexus/telemetry';
import type { Authenticate } from './adapters/auth/create-authenticator.js';
import { createCallerContext } from './adapters/connect/create-caller-context.js';
import { createObserveInterceptor } from './adapters/connect/create-observe-interceptor.js';
import { createRpcRoutes } from './adapters/connect/create-rpc-routes.js';
import { createContinueEndpoint } from './adapters/http/continue-endpoint.js';
import { createHttpRoutes } from './adapters/http/create-http-routes.js';
import { createGatewayMetrics } from './adapters/http/gateway-metrics.js';
import type { HostAccess } from './adapters/http/host-guard.js';
import { listenH2cAndHttp1 } from './adapters/http/listen-h2c-and-http1.js';
import { listenTls } from './adapters/http/listen-tls.js';
import type { TlsFiles } from './adapters/http/read-tls-pair.js';
import { createMcpEndpoint } from './adapters/http/mcp-endpoint.js';
import type { ProtectedResource } from './adapters/http/protected-resource.js';
import { createAuditRecorder } from './app/create-audit-recorder.js';
import { createHandlers } from './adapters/connect/create-handlers.js';
import { createPolicyHandlers } from './adapters/connect/create-policy-handlers.js';
import { createReadinessProbe } from './app/create-readiness-probe.js';
import { trackIndexLag } from './app/track-index-lag.js';
import { serveConnect } from './adapters/connect/serve-connect.js';

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
  /** Serve TLS (ALPN h2 and http/1.1) with this certificate and key, re-read when they change; absent, cleartext. */
  readonly tls?: TlsFiles | null;
}

/** A running gateway. */
export interface Gateway {
  readonly url: string;
  readonly port: number;
  /** Every path this gateway answers: its HTTP routes and each RPC's `/<service>/<method>`. */
  readonly paths: readonly string[];
  stop(): Promise<void>;
}

const GATEWAY_VERSION = '0.1.0';

/** Starts the public API on one port: gRPC, gRPC-Web and Connect (JSON over HTTP/1.1 too), health and metrics. */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { bus, log } = options;
  const indexLag = trackIndexLag(bus);
  const metrics = createGatewayMetrics({
    queueDepth: async () =>
      new Map(
        await Promise.all(
          [...Array(options.shardCount).keys()].map(
            async (shard) => [shard, await bus.pending(shardQueue(shard))] as const,
          ),
        ),
      ),
    indexLag: () => indexLag.lag(),
  });
  const observe = createObserveInterceptor({ metrics, log });
  const audit = createAuditRecorder({ audit: options.audit ?? null, queryMode: options.auditQuery ?? 'text' });
  const caller = createCallerContext({
    authenticate: options.authenticate,
    recordAuthFailure: audit.recordAuthFailure,
  });
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 10_000;
  const handlers = createHandlers({
    bus,
    shardCount: options.shardCount,
    principalOf: caller.principalOf,
    access: options.access,
    defaultTimeoutMs,
    checkSource: options.checkSource,
    recordAccess: audit.recordAccess,
  });
  const policy = createPolicyHandlers({
    bus,
    access: options.access,
    principalOf: caller.principalOf,
    timeoutMs: defaultTimeoutMs,
    recordAdmin: audit.recordAdmin,
  });
  const ready = createReadinessProbe(bus);
  const routes = createRpcRoutes({ context: handlers.context, index: handlers.index, policy, ready });
  const rpc = serveConnect({
    routes,
    interceptors: [observe],
    readMaxBytes: options.maxRequestBytes ?? 4 * 1024 * 1024,
    requireConnectProtocolHeader: false,
    // why: a misspelt field ({"qeury": …}) silently ignored gives a confident wrong answer; it is invalid_argument instead.
    jsonOptions: { ignoreUnknownFields: false },
  });
  const self = createGatewayClient(
    createRouterTransport(routes, {
      router: { interceptors: [observe] },
      transport: { interceptors: [caller.forwardCredentials] },
    }),
  );
  const http = createHttpRoutes({
    hosts: options.hosts ?? null,
    mcp: options.mcp ? createMcpEndpoint(self, options.mcp, GATEWAY_VERSION) : null,
    continueEndpoint: createContinueEndpoint(self),
    oauth: options.oauth ?? null,
    access: options.access,
    authenticate: options.authenticate,
    caller,
    recordAuthFailure: audit.recordAuthFailure,
    ready,
    metrics: metrics.registry,
    rpc: (request, response) => rpc(request, response),
  });
  const routeTable = createConnectRouter();
  routes(routeTable);
  const server: Server = options.tls
    ? await listenTls(http.handler, options.port, options.host, {
        ...options.tls,
        onReload: (pair) => log.info('gateway certificate reloaded', { serial: pair.serial, validTo: pair.validTo }),
        onReloadFailed: (error) => log.error('gateway certificate refused; the previous one stays in use', { error }),
      })
    : await listenH2cAndHttp1(http.handler, options.port, options.host);
  const port = (server.address() as { port: number }).port;
  const scheme = options.tls ? 'https' : 'http';
  log.info('gateway listening', { host: options.host, port, tls: Boolean(options.tls) });
  return {
    url: `${scheme}://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    port,
    paths: [...http.paths, ...routeTable.handlers.map((handler) => handler.requestPath)],
    async stop() {
      await indexLag.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
