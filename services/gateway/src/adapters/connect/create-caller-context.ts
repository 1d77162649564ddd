import { AsyncLocalStorage } from 'node:async_hooks';
import type { HandlerContext, Interceptor } from '@connectrpc/connect';
import type { Principal } from '@conexus/access';
import type { Authenticate } from '../auth/create-authenticator.js';

/** The HTTP caller on whose behalf MCP and Continue call the RPC handlers in memory. */
export interface Caller {
  readonly authorization: string | undefined;
  /** Set once the HTTP edge has authenticated the caller; null when it has not. */
  readonly principal: Principal | null;
}

/** Who the caller of an RPC is, authenticated once per request, also through the in-memory client. */
export interface CallerContext {
  /** The request's principal; an authentication failure is recorded and rejects. */
  readonly principalOf: (context: HandlerContext) => Promise<Principal>;
  /** Runs `work` (the in-memory client's calls) as `caller`. */
  runAs<T>(caller: Caller, work: () => T): T;
  /** For the in-memory client: sends the current caller's Authorization header with each call. */
  readonly forwardCredentials: Interceptor;
}

/** Creates the caller context over an authenticator; `recordAuthFailure` hears every refused RPC. */
export function createCallerContext(deps: {
  authenticate: Authenticate;
  recordAuthFailure: (method: string, reason: string) => Promise<void>;
}): CallerContext {
  // why: MCP and Continue reuse the RPC handlers in memory, so they answer exactly what the RPCs answer, under
  // the caller's own credentials: the HTTP request's Authorization header rides along to every in-memory call,
  // and so does the principal once the HTTP edge has authenticated it, so that it is not authenticated again.
  const caller = new AsyncLocalStorage<Caller>();
  const authenticated = new WeakMap<HandlerContext, Promise<Principal>>();
  return {
    // why: a request authenticates once, however many steps ask who the caller is.
    principalOf(context) {
      let principal = authenticated.get(context);
      if (!principal) {
        const known = caller.getStore()?.principal;
        principal = known
          ? Promise.resolve(known)
          : deps.authenticate(context.requestHeader.get('authorization')).catch(async (error: unknown) => {
              await deps.recordAuthFailure(
                `${context.service.typeName}/${context.method.name}`,
                error instanceof Error ? error.message : String(error),
              );
              throw error;
            });
        authenticated.set(context, principal);
      }
      return principal;
    },
    runAs: (who, work) => caller.run(who, work),
    forwardCredentials: (next) => (request) => {
      const authorization = caller.getStore()?.authorization;
      if (authorization) request.header.set('authorization', authorization);
      return next(request);
    },
  };
}
