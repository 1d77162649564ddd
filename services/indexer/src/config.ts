import { availableParallelism, hostname } from 'node:os';
import { DEFAULT_QUEUE_SETTINGS } from '@conexus/bus';
import { DEFAULT_SHARD_COUNT } from '@conexus/sharding';
import { readEnv, readHealthSettings, type HealthSettings } from '@conexus/service-config';
import { DEFAULT_FETCH_LIMITS } from './adapters/git/fetch-git-source.js';
import { DEFAULT_GIT_URL_POLICY, type GitUrlPolicy } from './domain/git-url-policy.js';
import { parseNetwork } from './domain/ip-address.js';
import { canonicalHost } from './domain/parse-git-url.js';

/** The indexer's settings, read once at start. */
export interface IndexerConfig {
  readonly natsUrl: string;
  readonly dataDir: string;
  readonly replica: string;
  readonly shardCount: number;
  readonly embedder: string;
  readonly sourceRoots: readonly string[];
  readonly git: GitUrlPolicy;
  readonly fetchTimeoutMs: number;
  readonly fetchMaxBytes: number;
  /** CONEXUS_GIT_CA_FILE: the certificate authorities https git hosts are checked against (default: the system's). */
  readonly gitCaFile: string | undefined;
  readonly heartbeatMs: number;
  readonly ackWaitMs: number;
  readonly maxDeliveries: number;
  /** The wait before a transiently failed job is redelivered, doubling up to retryMaxDelayMs. */
  readonly retryDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly searchThreads: number;
  /** CONEXUS_HEALTH_PORT/HOST: where `/healthz` and `/readyz` are served (port 0: nowhere). */
  readonly health: HealthSettings;
  /** CONEXUS_SNAPSHOTS=jetstream: shard snapshots in a JetStream object store bucket, with that many copies. */
  readonly snapshots: { readonly bucket: string; readonly replicas: number } | null;
}

/** Parses the indexer's environment; one error lists every bad variable. */
export function readIndexerConfig(env: NodeJS.ProcessEnv): IndexerConfig {
  const read = readEnv(env);
  const schemes = read.list('CONEXUS_GIT_SCHEMES', DEFAULT_GIT_URL_POLICY.schemes);
  const badScheme = schemes.find((scheme) => !['https', 'ssh', 'file'].includes(scheme));
  if (badScheme) read.oneOf('CONEXUS_GIT_SCHEMES', ['https', 'ssh', 'file']);
  const hosts = read.list('CONEXUS_GIT_HOSTS', DEFAULT_GIT_URL_POLICY.hosts);
  const badHosts = hosts.filter((host) => canonicalHost(host) === null);
  read.check(
    badHosts.length === 0,
    `CONEXUS_GIT_HOSTS must list plain host names or IP addresses, got ${JSON.stringify(badHosts)}`,
  );
  // why: the default refuses every non-public address; an internal forge is opened explicitly, by flag or by network.
  const allowPrivate = read.oneOf('CONEXUS_GIT_ALLOW_PRIVATE', ['true', 'false'], 'false') === 'true';
  const allowedNetworks = read.list('CONEXUS_GIT_ALLOWED_NETWORKS', []);
  const badNetworks = allowedNetworks.filter((network) => parseNetwork(network) === null);
  read.check(
    badNetworks.length === 0,
    `CONEXUS_GIT_ALLOWED_NETWORKS must list networks in CIDR form (10.20.0.0/16, fd12::/48), got ${JSON.stringify(badNetworks)}`,
  );
  const embedder = read.string('CONEXUS_EMBEDDER', 'auto');
  // why: a bad embedder spec is a configuration error like any other, reported with the rest before anything connects.
  read.check(
    !embedder.startsWith('http:') || embedder.length > 'http:'.length,
    'CONEXUS_EMBEDDER=http:MODEL must name a model',
  );
  read.check(
    !embedder.startsWith('http:') || isHttpUrl(env.CONEXUS_EMBEDDING_URL),
    `CONEXUS_EMBEDDER=${embedder} needs CONEXUS_EMBEDDING_URL, an http(s) URL (e.g. http://localhost:11434/v1)`,
  );
  read.check(
    !embedder.startsWith('onnx:') || embedder.length > 'onnx:'.length,
    'CONEXUS_EMBEDDER=onnx:PATH must name a model directory or id',
  );
  return read.finish({
    natsUrl: read.string('NATS_URL'),
    dataDir: read.string('CONEXUS_DATA_DIR'),
    // why: a StatefulSet pod's hostname (indexer-0, indexer-1) is stable across restarts.
    replica: read.string('CONEXUS_REPLICA_ID', env.HOSTNAME || hostname()),
    shardCount: read.integer('CONEXUS_SHARDS', DEFAULT_SHARD_COUNT, { min: 1, max: 4096 }),
    embedder,
    sourceRoots: read.list('CONEXUS_SOURCE_ROOTS', []),
    git: { schemes: schemes as GitUrlPolicy['schemes'], hosts, allowPrivate, allowedNetworks },
    fetchTimeoutMs: read.integer('CONEXUS_FETCH_TIMEOUT_MS', DEFAULT_FETCH_LIMITS.timeoutMs, { min: 1_000 }),
    fetchMaxBytes: read.integer('CONEXUS_FETCH_MAX_BYTES', DEFAULT_FETCH_LIMITS.maxBytes, { min: 1 }),
    gitCaFile: read.string('CONEXUS_GIT_CA_FILE', '') || undefined,
    heartbeatMs: read.integer('CONEXUS_HEARTBEAT_MS', 1_000, { min: 50 }),
    ackWaitMs: read.integer('CONEXUS_ACK_WAIT_MS', DEFAULT_QUEUE_SETTINGS.ackWaitMs, { min: 100 }),
    maxDeliveries: read.integer('CONEXUS_MAX_DELIVERIES', DEFAULT_QUEUE_SETTINGS.maxDeliveries, { min: 1 }),
    retryDelayMs: read.integer('CONEXUS_RETRY_DELAY_MS', 2_000, { min: 0 }),
    retryMaxDelayMs: read.integer('CONEXUS_RETRY_MAX_DELAY_MS', 60_000, { min: 0 }),
    searchThreads: read.integer('CONEXUS_SEARCH_THREADS', availableParallelism(), { min: 0, max: 256 }),
    health: readHealthSettings(read),
    snapshots:
      read.oneOf('CONEXUS_SNAPSHOTS', ['off', 'jetstream'], 'off') === 'jetstream'
        ? {
            bucket: read.string('CONEXUS_SNAPSHOT_BUCKET', 'conexus-shard-snapshots'),
            replicas: read.integer('CONEXUS_SNAPSHOT_REPLICAS', 1, { min: 1, max: 5 }),
          }
        : null,
  });
}

function isHttpUrl(text: string | undefined): boolean {
  if (!text?.trim()) return false;
  try {
    return ['http:', 'https:'].includes(new URL(text.trim()).protocol);
  } catch {
    return false;
  }
}
