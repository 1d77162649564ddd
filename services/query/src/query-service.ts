import { fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  FindSymbolRequestSchema,
  FindSymbolResponseSchema,
  GetFileRequestSchema,
  GetFileResponseSchema,
  ListReposResponseSchema,
  SearchRequestSchema,
  SearchResponseSchema,
} from '@conexus/api';
import type { Bus, BusMessage, Subscription } from '@conexus/bus';
import { HEADERS, querySubject, type QueryOperation } from '@conexus/wire';
import type { Logger } from '@conexus/telemetry';
import { createQueryApp } from './app/create-query-app.js';
import type { Call } from './app/query-shards.js';
import { parsePrincipal, type Principal } from '@conexus/access';
import type { ScopePort } from './ports/scope-port.js';

/** How a query replica is wired. */
export interface QueryServiceOptions {
  readonly bus: Bus;
  readonly scope: ScopePort;
  readonly shardCount: number;
  readonly log: Logger;
}

/** A running query replica. */
export interface QueryService {
  stop(): Promise<void>;
}

const DEFAULT_DEADLINE_MS = 10_000;

/** Starts a query replica: it answers search, list, file and symbol requests on the bus, in a shared group. */
export function startQueryService(options: QueryServiceOptions): QueryService {
  const app = createQueryApp(options);
  const serve = (
    operation: QueryOperation,
    handle: (principal: Principal, message: BusMessage, call: Call) => Promise<Uint8Array>,
  ): Subscription =>
    options.bus.respond(
      querySubject(operation),
      async (message) => {
        const principal = parsePrincipal(message.headers[HEADERS.principal]);
        const deadline = Number(message.headers[HEADERS.deadline]) || Date.now() + DEFAULT_DEADLINE_MS;
        const started = performance.now();
        try {
          return await handle(principal, message, {
            deadline,
            headers: { [HEADERS.principal]: message.headers[HEADERS.principal]! },
          });
        } finally {
          options.log.info('query', { operation, ms: Math.round(performance.now() - started) });
        }
      },
      'query',
    );
  const subscriptions = [
    serve('search', async (principal, message, call) =>
      toBinary(SearchResponseSchema, await app.search(principal, fromBinary(SearchRequestSchema, message.data), call)),
    ),
    serve('repos', async (principal, _message, call) =>
      toBinary(ListReposResponseSchema, await app.listRepos(principal, call)),
    ),
    serve('file', async (principal, message, call) =>
      toBinary(
        GetFileResponseSchema,
        await app.getFile(principal, fromBinary(GetFileRequestSchema, message.data), call),
      ),
    ),
    serve('symbol', async (principal, message, call) =>
      toBinary(
        FindSymbolResponseSchema,
        await app.findSymbol(principal, fromBinary(FindSymbolRequestSchema, message.data), call),
      ),
    ),
  ];
  return {
    async stop() {
      for (const subscription of subscriptions) await subscription.unsubscribe();
    },
  };
}
