import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, type Client } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { ContextService, IndexService, IndexState } from '@conexus/api';
import { eventually, freePort, startProcess, type ServiceProcess } from './service-process.js';

/** Gateway, query and indexer replicas as separate processes on one NATS server. */
export interface Cluster {
  readonly url: string;
  readonly context: Client<typeof ContextService>;
  readonly index: Client<typeof IndexService>;
  readonly indexers: Map<string, ServiceProcess>;
  readonly policies: ServiceProcess[];
  startIndexer(replica: string): ServiceProcess;
  /** The replica that most recently claimed a shard, from the replicas' logs. */
  ownerOf(shard: number): string | null;
  /** Waits until every shard answers. */
  settled(): Promise<void>;
  /** Queues a repository and waits until its job is done. */
  add(name: string, source: { gitUrl: string } | { path: string }): Promise<void>;
  logs(): string;
  stop(): Promise<void>;
}

/** Tuning that keeps fault tests quick: heartbeats every 300 ms, redelivery after 3 s. */
export const FAST = { CONEXUS_HEARTBEAT_MS: '300', CONEXUS_ACK_WAIT_MS: '3000' };

/** How a cluster runs: extra environment for the indexers (fault tests use FAST). */
export interface ClusterOptions {
  readonly indexerEnv?: Record<string, string>;
  /** Directories the indexers may index by path. */
  readonly sourceRoots: readonly string[];
  /** Access control: OIDC at the gateway and policy replicas; the cluster's own clients then send this admin token. */
  readonly access?: ClusterAccess;
}

/** How a cluster authenticates and authorizes. */
export interface ClusterAccess {
  readonly issuer: string;
  readonly audience: string;
  /** A token with the admin role, used by the cluster's own clients. */
  readonly adminToken: string;
  readonly policyReplicas?: number;
  /** The role that may change a tenant's policy (default `conexus-admin`). */
  readonly adminRole?: string;
  readonly gatewayEnv?: Record<string, string>;
}

/** Starts a cluster: two indexer replicas sharing one data directory, one query and one gateway process. */
export async function startCluster(natsUrl: string, scratch: string, options: ClusterOptions): Promise<Cluster> {
  const dataDir = join(scratch, 'cluster-data');
  mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const access = options.access;
  const common = { NATS_URL: natsUrl, CONEXUS_AUTH: access ? 'policy' : 'none', CONEXUS_EMBEDDER: 'none' };
  const indexers = new Map<string, ServiceProcess>();
  const startIndexer = (replica: string): ServiceProcess => {
    const process = startProcess(replica, 'services/indexer/dist/main.js', {
      ...common,
      CONEXUS_DATA_DIR: dataDir,
      CONEXUS_REPLICA_ID: replica,
      CONEXUS_SOURCE_ROOTS: options.sourceRoots.join(','),
      CONEXUS_GIT_SCHEMES: 'file',
      ...options.indexerEnv,
    });
    indexers.set(replica, process);
    return process;
  };
  startIndexer('indexer-0');
  startIndexer('indexer-1');
  const policies = access
    ? [...Array(access.policyReplicas ?? 1).keys()].map((replica) =>
        startProcess(`policy-${replica}`, 'services/policy/dist/main.js', {
          NATS_URL: natsUrl,
          CONEXUS_ADMIN_ROLE: access.adminRole ?? 'conexus-admin',
        }),
      )
    : [];
  const query = startProcess('query', 'services/query/dist/main.js', common);
  const gatewayAuth = access
    ? {
        CONEXUS_AUTH: 'oidc',
        OIDC_ISSUER: access.issuer,
        OIDC_AUDIENCE: access.audience,
        OIDC_ALLOW_HTTP: 'true',
        ...access.gatewayEnv,
      }
    : { CONEXUS_AUTH: 'none' };
  const gateway = startProcess('gateway', 'services/gateway/dist/main.js', {
    ...common,
    ...gatewayAuth,
    CONEXUS_HOST: '127.0.0.1',
    CONEXUS_PORT: String(port),
  });
  const url = `http://127.0.0.1:${port}`;
  const transport = createGrpcTransport({
    baseUrl: url,
    interceptors: access
      ? [(next) => (request) => (request.header.set('authorization', `Bearer ${access.adminToken}`), next(request))]
      : [],
  });
  const context = createClient(ContextService, transport);
  const index = createClient(IndexService, transport);
  const cluster: Cluster = {
    url,
    context,
    index,
    indexers,
    policies,
    startIndexer,
    ownerOf(shard) {
      let owner: string | null = null;
      let latest = '';
      for (const [replica, process] of indexers) {
        if (process.child.exitCode !== null || process.child.signalCode !== null) continue;
        const entries = process
          .output()
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as { msg: string; shard?: number; time: string })
          .filter(
            (entry) => entry.shard === shard && (entry.msg === 'claimed shard' || entry.msg === 'released shard'),
          );
        const last = entries.at(-1);
        if (last?.msg === 'claimed shard' && last.time >= latest) {
          owner = replica;
          latest = last.time;
        }
      }
      return owner;
    },
    async settled() {
      await eventually(
        async () => ((await context.listRepos({})).partial ? undefined : true),
        60_000,
        'every shard to answer',
      );
    },
    async add(name, source) {
      const { jobId } = await index.addRepo({
        repo: name,
        source: {
          source: 'gitUrl' in source ? { case: 'gitUrl', value: source.gitUrl } : { case: 'path', value: source.path },
        },
      });
      await eventually(
        async () => {
          const event = (await index.getIndexStatus({ repo: name })).event;
          if (event?.jobId === jobId && event.state === IndexState.FAILED)
            throw new Error(`indexing ${name} failed: ${event.error}`);
          return event?.state === IndexState.DONE && (event.jobId === jobId || event.jobId === '') ? true : undefined;
        },
        120_000,
        `${name} to be indexed`,
      );
    },
    logs: () =>
      [...indexers.values(), ...policies, query, gateway]
        .map((process) => `--- ${process.name}\n${process.output()}`)
        .join('\n'),
    async stop() {
      await Promise.all([
        gateway.kill(),
        query.kill(),
        ...policies.map((process) => process.kill()),
        ...[...indexers.values()].map((process) => process.kill()),
      ]);
    },
  };
  await eventually(
    async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined),
    60_000,
    'the gateway to be ready',
  );
  await cluster.settled();
  return cluster;
}
