import { existsSync, readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { Code, ConnectError, type Interceptor } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { IndexState, type IndexEvent } from '@conexus/api';
import { createGatewayClient, type GatewayClient } from '@conexus/client';
import type { IndexView } from '../../domain/plan-reconcile.js';
import type { TenantGateways, TenantIndex } from '../../ports/tenant-index.js';

/** Where the gateway is and where each tenant's token lies (`<credentialsDir>/<tenant>/token`). */
export interface TenantGatewayOptions {
  readonly gatewayUrl: string;
  /** The CA the gateway's TLS certificate is checked against; absent: the system's. */
  readonly caFile?: string;
  readonly credentialsDir: string;
  readonly timeoutMs?: number;
}

const STATES: Record<number, IndexView['state']> = {
  [IndexState.QUEUED]: 'queued',
  [IndexState.INDEXING]: 'indexing',
  [IndexState.EMBEDDING]: 'searchable',
  [IndexState.DONE]: 'done',
  [IndexState.FAILED]: 'failed',
};

/** Gateway clients per tenant over one connection pool; each request reads the token afresh, so a rotated Secret applies. */
export function openTenantGateways(options: TenantGatewayOptions): TenantGateways & { close(): void } {
  const ca = options.caFile ? readFileSync(options.caFile) : undefined;
  const agent = new Agent({ keepAlive: true, ca });
  const clients = new Map<string, GatewayClient>();
  const tokenFile = (tenant: string): string => join(options.credentialsDir, tenant, 'token');
  const clientOf = (tenant: string): GatewayClient => {
    let client = clients.get(tenant);
    if (!client) {
      const bearer: Interceptor = (next) => (request) => {
        request.header.set('authorization', `Bearer ${readFileSync(tokenFile(tenant), 'utf8').trim()}`);
        return next(request);
      };
      client = createGatewayClient(
        createConnectTransport({
          baseUrl: options.gatewayUrl,
          httpVersion: '1.1',
          nodeOptions: { agent },
          interceptors: [bearer],
          defaultTimeoutMs: options.timeoutMs ?? 15_000,
        }),
      );
      clients.set(tenant, client);
    }
    return client;
  };
  const open = (tenant: string): TenantIndex | undefined => {
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(tenant) || !existsSync(tokenFile(tenant))) return undefined;
    const client = clientOf(tenant);
    return {
      async add(repository, source, branch) {
        const answer = await client.index.addRepo({
          repo: repository,
          source: { source: { case: 'gitUrl', value: source }, ref: branch ?? '' },
        });
        return answer.jobId;
      },
      async reindex(repository) {
        return (await client.index.reindex({ repo: repository })).jobId;
      },
      async remove(repository) {
        await client.index.removeRepo({ repo: repository }).catch(unlessNotFound);
      },
      async status(repository) {
        const answer = await client.index.getIndexStatus({ repo: repository }).catch(unlessNotFound);
        return answer?.event ? toIndexView(answer.event) : undefined;
      },
    };
  };
  return Object.assign(open, { close: () => agent.destroy() });
}

function unlessNotFound(error: unknown): undefined {
  if (ConnectError.from(error).code === Code.NotFound) return undefined;
  throw error;
}

function toIndexView(event: IndexEvent): IndexView {
  return {
    jobId: event.jobId,
    state: STATES[event.state] ?? 'queued',
    commit: event.commit,
    chunks: event.chunks,
    filesIndexed: event.filesIndexed,
    error: event.error,
    at: event.at,
  };
}
