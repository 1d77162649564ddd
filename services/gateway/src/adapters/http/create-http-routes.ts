import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '@conexus/access';
import { ConexusError } from '@conexus/kernel';
import type { Registry } from 'prom-client';
import type { Authenticate } from '../auth/create-authenticator.js';
import type { CallerContext } from '../connect/create-caller-context.js';
import { refuseForeignHost, type HostAccess } from './host-guard.js';
import type { DualHandler } from './listen-h2c-and-http1.js';
import type { McpEndpoint } from './mcp-endpoint.js';
import { challenge, METADATA_PATHS, protectedResourceMetadata, type ProtectedResource } from './protected-resource.js';

/** What the gateway's HTTP routes answer with. */
export interface HttpRoutesDeps {
  /** Answer only these Host names and browser origins, on every route; null, any. */
  readonly hosts: HostAccess | null;
  /** `/mcp`, or null when it is not served. */
  readonly mcp: McpEndpoint | null;
  readonly continueEndpoint: (request: IncomingMessage, response: ServerResponse) => void;
  /** Described at the OAuth metadata paths; null, they are not served. */
  readonly oauth: ProtectedResource | null;
  /** `policy`: `/mcp` and `/continue` need an authenticated caller. */
  readonly access: 'policy' | 'none';
  readonly authenticate: Authenticate;
  readonly caller: CallerContext;
  readonly recordAuthFailure: (method: string, reason: string) => Promise<void>;
  readonly ready: () => Promise<boolean>;
  readonly metrics: Registry;
  /** Everything else: gRPC, gRPC-Web and Connect. */
  readonly rpc: DualHandler;
}

/** The gateway's HTTP routes behind the Host/Origin guard, and the paths they answer besides the RPCs. */
export function createHttpRoutes(deps: HttpRoutesDeps): {
  readonly handler: DualHandler;
  readonly paths: readonly string[];
} {
  const { mcp, oauth } = deps;
  const paths = [
    '/healthz',
    '/readyz',
    '/metrics',
    '/continue',
    ...(mcp ? ['/mcp'] : []),
    ...(oauth ? METADATA_PATHS : []),
  ];
  const handler: DualHandler = (request, response) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    const reply = (status: number, type: string, body: string): void => {
      response.writeHead(status, { 'content-type': type });
      response.end(body);
    };
    // why: DNS rebinding and cross-site protection for every route, here where no route can be added before it.
    const refusal = deps.hosts ? refuseForeignHost(request.headers, deps.hosts) : null;
    if (refusal) return reply(403, 'application/json', JSON.stringify({ code: 'permission_denied', message: refusal }));
    if (path === '/healthz') return reply(200, 'text/plain', 'ok\n');
    if (path === '/readyz')
      return void deps.ready().then((ok) => reply(ok ? 200 : 503, 'text/plain', ok ? 'ready\n' : 'not ready\n'));
    if (path === '/metrics') {
      return void deps.metrics.metrics().then(
        (text) => reply(200, deps.metrics.contentType, text),
        (error: unknown) => reply(500, 'text/plain', String(error)),
      );
    }
    if (oauth && METADATA_PATHS.includes(path))
      return reply(200, 'application/json', JSON.stringify(protectedResourceMetadata(oauth, path)));
    if ((path === '/mcp' && mcp) || path === '/continue') {
      const incoming = request as IncomingMessage;
      const outgoing = response as ServerResponse;
      // why: DNS rebinding protection comes first: a refused Host or Origin gets 403, never a challenge built from its Host.
      if (path === '/mcp' && !mcp!.admits(incoming, outgoing)) return;
      const serve = (principal: Principal | null): void =>
        deps.caller.runAs({ authorization: incoming.headers.authorization, principal }, () =>
          path === '/mcp' ? mcp!.serve(incoming, outgoing) : deps.continueEndpoint(incoming, outgoing),
        );
      if (deps.access !== 'policy') return serve(null);
      // why: MCP clients discover how to sign in from a 401 challenge, so an unauthenticated request never reaches the tools.
      const proto = incoming.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
      const base = `${proto}://${incoming.headers.host ?? 'localhost'}`;
      return void deps.authenticate(incoming.headers.authorization).then(serve, async (error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        await deps.recordAuthFailure(path, reason).catch(() => undefined);
        if (error instanceof ConexusError && error.code === 'unavailable')
          return reply(
            503,
            'application/json',
            JSON.stringify({ error: 'temporarily_unavailable', error_description: reason }),
          );
        challenge(outgoing, base, incoming.headers.authorization ? 'invalid_token' : 'missing', reason);
      });
    }
    deps.rpc(request, response);
  };
  return { handler, paths };
}
