import { randomUUID } from 'node:crypto';
import { create, fromBinary, toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import {
  AddRepoResponseSchema,
  ClaimRepoRequestSchema,
  ScopeSchema,
  type ContextService,
  FindSymbolRequestSchema,
  FindSymbolResponseSchema,
  GetFileRequestSchema,
  GetFileResponseSchema,
  GetIndexStatusRequestSchema,
  GetIndexStatusResponseSchema,
  IndexEventSchema,
  IndexJobSchema,
  type IndexService,
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
import { formatPrincipal, repoVisible, type Principal } from '@conexus/access';
import type { AuditChunk } from '@conexus/audit';
import type { AccessRecord } from '../../app/create-audit-recorder.js';
import { shardOf } from '@conexus/sharding';
import {
  HEADERS,
  indexEventSubject,
  policySubject,
  querySubject,
  shardQueue,
  shardSubject,
  type QueryOperation,
  type ShardOperation,
} from '@conexus/wire';

/** What the RPC handlers need: the bus, the shard count, who the caller is, and where access is recorded. */
export interface HandlerDeps {
  readonly bus: Bus;
  readonly shardCount: number;
  /** Authenticates the caller; fails `unauthenticated`. */
  readonly principalOf: (context: HandlerContext) => Promise<Principal>;
  /** `policy`: repositories are managed by tenant admins and status is shown only to those who may read the repository. */
  readonly access: 'policy' | 'none';
  readonly defaultTimeoutMs: number;
  /** Refuses an AddRepo source before its job is queued; absent, the indexer alone decides. */
  readonly checkSource?: (source: RepoSource) => void;
  /** Records what each read returned; the audit log in deployments with access control. */
  readonly recordAccess: (principal: Principal, access: AccessRecord) => Promise<void>;
}

const REPO_NAME = /^[\w.@+-][\w.@+/-]{0,199}$/;

function checkName(name: string): void {
  if (!REPO_NAME.test(name))
    throw new ConexusError(
      'invalid_argument',
      `invalid repository name "${name.slice(0, 200)}": use letters, digits and . _ - + @ /`,
    );
}
const TERMINAL = new Set([IndexState.DONE, IndexState.FAILED]);

/** Queues an index job on the repository's shard and announces it; a job without a source re-indexes a known repository. */
export async function enqueueIndexJob(
  bus: Bus,
  shardCount: number,
  name: string,
  source: RepoSource | undefined,
  headers: BusHeaders = {},
): Promise<{ jobId: string; shard: number }> {
  checkName(name);
  const shard = shardOf(name, shardCount);
  const jobId = randomUUID();
  const job = create(IndexJobSchema, { jobId, repo: name, shard, source, requestedAt: new Date().toISOString() });
  await bus.enqueue(shardQueue(shard), jobId, toBinary(IndexJobSchema, job), headers);
  bus.publish(
    indexEventSubject(name),
    toBinary(
      IndexEventSchema,
      create(IndexEventSchema, { repo: name, jobId, state: IndexState.QUEUED, at: job.requestedAt }),
    ),
  );
  return { jobId, shard };
}

/** The ContextService and IndexService implementations: each call becomes a bus request under the caller's deadline. */
export function createHandlers(deps: HandlerDeps): {
  context: Partial<ServiceImpl<typeof ContextService>>;
  index: Partial<ServiceImpl<typeof IndexService>>;
} {
  const { bus } = deps;
  // why: trace context travels on its own; the traced bus injects it into every message.
  const callHeaders = async (context: HandlerContext): Promise<BusHeaders> => ({
    [HEADERS.principal]: formatPrincipal(await deps.principalOf(context)),
  });
  const deadlines = new WeakMap<HandlerContext, number>();
  // why: one deadline per request, fixed when it arrives; every bus hop (policy, query, shard) gets only the time left.
  const deadlineOf = (context: HandlerContext): number => {
    let deadline = deadlines.get(context);
    if (deadline === undefined) {
      deadline = Date.now() + Math.min(context.timeoutMs() ?? deps.defaultTimeoutMs, deps.defaultTimeoutMs * 6);
      deadlines.set(context, deadline);
    }
    return deadline;
  };
  const timeLeft = (context: HandlerContext): number => Math.max(1, deadlineOf(context) - Date.now());
  const forward = async <O extends DescMessage>(
    subject: string,
    data: Uint8Array,
    output: O,
    context: HandlerContext,
  ): Promise<MessageShape<O>> => {
    const deadline = deadlineOf(context);
    const headers = { ...(await callHeaders(context)), [HEADERS.deadline]: String(deadline) };
    const reply = await bus.request(subject, data, { timeoutMs: timeLeft(context), signal: context.signal, headers });
    return fromBinary(output, reply.data);
  };
  // why: every read is recorded with what it returned, or with how it failed; a failed audit append fails the read.
  const audited = async <T>(
    context: HandlerContext,
    kind: AccessRecord['kind'],
    repos: readonly string[],
    run: () => Promise<T>,
    describe: (answer: T) => Pick<AccessRecord, 'chunks' | 'query' | 'detail'> & { repos?: readonly string[] },
  ): Promise<T> => {
    const principal = await deps.principalOf(context);
    let answer: T;
    try {
      answer = await run();
    } catch (error) {
      const code = error instanceof ConexusError ? error.code : 'internal';
      await deps.recordAccess(principal, {
        kind,
        outcome: code === 'not_found' || code === 'permission_denied' ? 'denied' : 'error',
        repos,
        chunks: [],
        detail: { code },
      });
      throw error;
    }
    const described = describe(answer);
    await deps.recordAccess(principal, {
      kind,
      outcome: 'ok',
      repos: described.repos ?? repos,
      chunks: described.chunks,
      query: described.query,
      detail: described.detail,
    });
    return answer;
  };
  const claim = async (repo: string, context: HandlerContext): Promise<void> => {
    if (deps.access !== 'policy') return;
    await bus.request(
      policySubject('claim'),
      toBinary(ClaimRepoRequestSchema, create(ClaimRepoRequestSchema, { repo })),
      { timeoutMs: timeLeft(context), headers: await callHeaders(context) },
    );
  };
  // why: Reindex and RemoveRepo never claim a name; a name the caller's tenant does not manage answers exactly as a missing one.
  const manageExisting = async (repo: string, context: HandlerContext): Promise<void> => {
    if (deps.access !== 'policy') return;
    const request = toBinary(ClaimRepoRequestSchema, create(ClaimRepoRequestSchema, { repo }));
    await bus.request(policySubject('manages'), request, {
      timeoutMs: timeLeft(context),
      headers: await callHeaders(context),
    });
  };
  // why: a repository's status is shown to those who may read it and to the admins who manage it; to anyone else it does not exist.
  const visible = async (repo: string, context: HandlerContext): Promise<boolean> => {
    if (deps.access !== 'policy') return true;
    const headers = await callHeaders(context);
    const reply = await bus.request(policySubject('scope'), new Uint8Array(), {
      timeoutMs: timeLeft(context),
      headers,
    });
    const scope = fromBinary(ScopeSchema, reply.data);
    if (repoVisible({ everything: scope.everything, repos: scope.repos, denies: scope.denies }, repo)) return true;
    const request = toBinary(ClaimRepoRequestSchema, create(ClaimRepoRequestSchema, { repo }));
    return bus.request(policySubject('manages'), request, { timeoutMs: timeLeft(context), headers }).then(
      () => true,
      (error: unknown) => {
        if (error instanceof ConexusError && error.code === 'not_found') return false;
        throw error;
      },
    );
  };
  const query = <O extends DescMessage>(
    operation: QueryOperation,
    data: Uint8Array,
    output: O,
    context: HandlerContext,
  ) => forward(querySubject(operation), data, output, context);
  const shard = <O extends DescMessage>(
    repo: string,
    operation: ShardOperation,
    data: Uint8Array,
    output: O,
    context: HandlerContext,
  ) => forward(shardSubject(shardOf(repo, deps.shardCount), operation), data, output, context);
  const queue = async (name: string, source: RepoSource | undefined, context: HandlerContext) =>
    enqueueIndexJob(bus, deps.shardCount, name, source, await callHeaders(context));
  const status = async (name: string, context: HandlerContext): Promise<IndexEvent | undefined> =>
    (
      await shard(
        name,
        'status',
        toBinary(GetIndexStatusRequestSchema, create(GetIndexStatusRequestSchema, { repo: name })),
        GetIndexStatusResponseSchema,
        context,
      )
    ).event;

  return {
    context: {
      search: (request, context) =>
        audited(
          context,
          'search',
          request.repos,
          () => query('search', toBinary(SearchRequestSchema, request), SearchResponseSchema, context),
          (answer) => ({
            query: request.query,
            chunks: answer.results.map(auditChunk),
          }),
        ),
      getFile: (request, context) =>
        audited(
          context,
          'read',
          [request.repo],
          () => query('file', toBinary(GetFileRequestSchema, request), GetFileResponseSchema, context),
          (answer) => ({
            chunks: [auditChunk({ ...answer, repo: request.repo, path: request.path })],
          }),
        ),
      findSymbol: (request, context) =>
        audited(
          context,
          'symbol',
          request.repos,
          () => query('symbol', toBinary(FindSymbolRequestSchema, request), FindSymbolResponseSchema, context),
          (answer) => ({
            query: request.name,
            chunks: answer.symbols.map(auditChunk),
          }),
        ),
      listRepos: (request, context) =>
        audited(
          context,
          'list',
          [],
          () => query('repos', toBinary(ListReposRequestSchema, request), ListReposResponseSchema, context),
          (answer) => ({ chunks: [], repos: answer.repos.map((repo) => repo.name) }),
        ),
    },
    index: {
      addRepo: (request, context) =>
        audited(
          context,
          'index',
          [request.repo],
          async () => {
            checkName(request.repo);
            const source = request.source?.source;
            if (!source?.case || !source.value)
              throw new ConexusError('invalid_argument', 'a source (git_url or path) is required');
            deps.checkSource?.(request.source!);
            await claim(request.repo, context);
            return create(AddRepoResponseSchema, await queue(request.repo, request.source, context));
          },
          (answer) => ({
            chunks: [],
            detail: { method: 'AddRepo', jobId: answer.jobId, source: request.source?.source.case ?? '' },
          }),
        ),
      reindex: (request, context) =>
        audited(
          context,
          'index',
          [request.repo],
          async () => {
            checkName(request.repo);
            await manageExisting(request.repo, context);
            if (!(await status(request.repo, context)))
              throw new ConexusError('not_found', `unknown repository "${request.repo}"`);
            return create(ReindexResponseSchema, await queue(request.repo, undefined, context));
          },
          (answer) => ({ chunks: [], detail: { method: 'Reindex', jobId: answer.jobId } }),
        ),
      removeRepo: (request, context) =>
        audited(
          context,
          'index',
          [request.repo],
          async () => {
            checkName(request.repo);
            await manageExisting(request.repo, context);
            return shard(
              request.repo,
              'remove',
              toBinary(ShardRemoveRequestSchema, create(ShardRemoveRequestSchema, { repo: request.repo })),
              RemoveRepoResponseSchema,
              context,
            );
          },
          () => ({ chunks: [], detail: { method: 'RemoveRepo' } }),
        ),
      async getIndexStatus(request, context) {
        checkName(request.repo);
        const event = (await visible(request.repo, context)) ? await status(request.repo, context) : undefined;
        if (!event) throw new ConexusError('not_found', `unknown repository "${request.repo}"`);
        return create(GetIndexStatusResponseSchema, { event });
      },
      async *watchIndexStatus(request, context) {
        checkName(request.repo);
        if (!(await visible(request.repo, context)))
          throw new ConexusError('not_found', `unknown repository "${request.repo}"`);
        const events: IndexEvent[] = [];
        let wake: (() => void) | null = null;
        const subscription = bus.subscribe(indexEventSubject(request.repo), (message) => {
          events.push(fromBinary(IndexEventSchema, message.data));
          wake?.();
        });
        try {
          const current = await status(request.repo, context);
          // why: a name with no job on record and no event since the subscription would be watched forever.
          if (!current && events.length === 0)
            throw new ConexusError('not_found', `unknown repository "${request.repo}"`);
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

/** What the audit log keeps of a returned location: where it is and at which commit, never its text. */
function auditChunk(location: AuditChunk): AuditChunk {
  return {
    repo: location.repo,
    path: location.path,
    startLine: location.startLine,
    endLine: location.endLine,
    commit: location.commit,
  };
}
