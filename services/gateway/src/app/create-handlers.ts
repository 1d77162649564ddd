import { randomUUID } from 'node:crypto';
import { create, fromBinary, toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import {
  AddRepoResponseSchema,
  ContextService,
  FindSymbolRequestSchema,
  FindSymbolResponseSchema,
  GetFileRequestSchema,
  GetFileResponseSchema,
  GetIndexStatusRequestSchema,
  GetIndexStatusResponseSchema,
  IndexEventSchema,
  IndexJobSchema,
  IndexService,
  IndexState,
  ListReposRequestSchema,
  ListReposResponseSchema,
  ReindexResponseSchema,
  RemoveRepoResponseSchema,
  SearchRequestSchema,
  SearchResponseSchema,
  ShardRemoveRequestSchema,
  type IndexEvent,
  type RepoSource,
} from '@conexus/api';
import type { Bus, BusHeaders } from '@conexus/bus';
import { ConexusError } from '@conexus/kernel';
import { formatPrincipal, type Principal } from '@conexus/access';
import { HEADERS, indexEventSubject, querySubject, shardOf, shardQueue, shardSubject, type QueryOperation, type ShardOperation } from '@conexus/sharding';

/** What the RPC handlers need: the bus, the shard count, and who the caller is. */
export interface HandlerDeps {
  readonly bus: Bus;
  readonly shardCount: number;
  readonly principalOf: (context: HandlerContext) => Principal;
  readonly defaultTimeoutMs: number;
}

const REPO_NAME = /^[\w.@+-][\w.@+/-]{0,199}$/;

function checkName(name: string): void {
  if (!REPO_NAME.test(name)) throw new ConexusError('invalid_argument', `invalid repository name "${name.slice(0, 200)}": use letters, digits and . _ - + @ /`);
}
const TERMINAL = new Set([IndexState.DONE, IndexState.FAILED]);

/** Queues an index job on the repository's shard and announces it; a job without a source re-indexes a known repository. */
export async function enqueueIndexJob(bus: Bus, shardCount: number, name: string, source: RepoSource | undefined, headers: BusHeaders = {}): Promise<{ jobId: string; shard: number }> {
  checkName(name);
  const shard = shardOf(name, shardCount);
  const jobId = randomUUID();
  const job = create(IndexJobSchema, { jobId, repo: name, shard, source, requestedAt: new Date().toISOString() });
  await bus.enqueue(shardQueue(shard), jobId, toBinary(IndexJobSchema, job), headers);
  bus.publish(indexEventSubject(name), toBinary(IndexEventSchema, create(IndexEventSchema, { repo: name, jobId, state: IndexState.QUEUED, at: job.requestedAt })));
  return { jobId, shard };
}

/** The ContextService and IndexService implementations: each call becomes a bus request under the caller's deadline. */
export function createHandlers(deps: HandlerDeps): { context: Partial<ServiceImpl<typeof ContextService>>; index: Partial<ServiceImpl<typeof IndexService>> } {
  const { bus } = deps;
  // why: trace context travels on its own; the traced bus injects it into every message.
  const callHeaders = (context: HandlerContext): BusHeaders => ({ [HEADERS.principal]: formatPrincipal(deps.principalOf(context)) });
  const forward = async <O extends DescMessage>(subject: string, data: Uint8Array, output: O, context: HandlerContext): Promise<MessageShape<O>> => {
    const timeoutMs = Math.min(context.timeoutMs() ?? deps.defaultTimeoutMs, deps.defaultTimeoutMs * 6);
    const deadline = Date.now() + timeoutMs;
    const reply = await bus.request(subject, data, { timeoutMs, signal: context.signal, headers: { ...callHeaders(context), [HEADERS.deadline]: String(deadline) } });
    return fromBinary(output, reply.data);
  };
  const query = <O extends DescMessage>(operation: QueryOperation, data: Uint8Array, output: O, context: HandlerContext) => forward(querySubject(operation), data, output, context);
  const shard = <O extends DescMessage>(repo: string, operation: ShardOperation, data: Uint8Array, output: O, context: HandlerContext) =>
    forward(shardSubject(shardOf(repo, deps.shardCount), operation), data, output, context);
  const queue = (name: string, source: RepoSource | undefined, context: HandlerContext) => enqueueIndexJob(bus, deps.shardCount, name, source, callHeaders(context));
  const status = async (name: string, context: HandlerContext): Promise<IndexEvent | undefined> =>
    (await shard(name, 'status', toBinary(GetIndexStatusRequestSchema, create(GetIndexStatusRequestSchema, { name })), GetIndexStatusResponseSchema, context)).event;

  return {
    context: {
      search: (request, context) => query('search', toBinary(SearchRequestSchema, request), SearchResponseSchema, context),
      getFile: (request, context) => query('file', toBinary(GetFileRequestSchema, request), GetFileResponseSchema, context),
      findSymbol: (request, context) => query('symbol', toBinary(FindSymbolRequestSchema, request), FindSymbolResponseSchema, context),
      listRepos: (request, context) => query('repos', toBinary(ListReposRequestSchema, request), ListReposResponseSchema, context),
    },
    index: {
      async addRepo(request, context) {
        checkName(request.name);
        const source = request.source?.source;
        if (!source?.case || !source.value) throw new ConexusError('invalid_argument', 'a source (git_url or path) is required');
        return create(AddRepoResponseSchema, await queue(request.name, request.source, context));
      },
      async reindex(request, context) {
        checkName(request.name);
        if (!(await status(request.name, context))) throw new ConexusError('not_found', `unknown repository "${request.name}"`);
        return create(ReindexResponseSchema, await queue(request.name, undefined, context));
      },
      async removeRepo(request, context) {
        checkName(request.name);
        return shard(request.name, 'remove', toBinary(ShardRemoveRequestSchema, create(ShardRemoveRequestSchema, { repo: request.name })), RemoveRepoResponseSchema, context);
      },
      async getIndexStatus(request, context) {
        checkName(request.name);
        const event = await status(request.name, context);
        if (!event) throw new ConexusError('not_found', `unknown repository "${request.name}"`);
        return create(GetIndexStatusResponseSchema, { event });
      },
      async *watchIndexStatus(request, context) {
        checkName(request.name);
        const events: IndexEvent[] = [];
        let wake: (() => void) | null = null;
        const subscription = bus.subscribe(indexEventSubject(request.name), (message) => {
          events.push(fromBinary(IndexEventSchema, message.data));
          wake?.();
        });
        try {
          const current = await status(request.name, context).catch(() => undefined);
          if (current) events.unshift(current);
          while (!context.signal.aborted) {
            const event = events.shift();
            if (!event) {
              await new Promise<void>((resolve) => {
                wake = resolve;
                context.signal.addEventListener('abort', () => resolve(), { once: true });
              });
              wake = null;
              continue;
            }
            yield { event };
            if (TERMINAL.has(event.state)) return;
          }
        } finally {
          await subscription.unsubscribe();
        }
      },
    },
  };
}
