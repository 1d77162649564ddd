import { DEFAULT_SHARD_COUNT } from '@conexus/sharding';
import { readEnv } from '@conexus/service-config';

/** The gateway's settings, read once at start. */
export interface GatewayConfig {
  readonly natsUrl: string;
  readonly shardCount: number;
  readonly host: string;
  readonly port: number;
  readonly maxRequestBytes: number;
  readonly defaultTimeoutMs: number;
  /** `none` treats every caller as one implicit user: for development and tests until OIDC is configured. */
  readonly auth: 'none';
  /** Host names `/mcp` answers to; empty turns `/mcp` off. */
  readonly mcpHosts: readonly string[];
  /** Browser origins (host names) `/mcp` accepts; requests without an Origin are not browsers and pass. */
  readonly mcpOrigins: readonly string[];
}

/** Parses the gateway's environment; one error lists every bad variable. */
export function readGatewayConfig(env: NodeJS.ProcessEnv): GatewayConfig {
  const read = readEnv(env);
  return read.finish({
    natsUrl: read.string('NATS_URL'),
    shardCount: read.integer('CONEXUS_SHARDS', DEFAULT_SHARD_COUNT, { min: 1, max: 4096 }),
    host: read.string('CONEXUS_HOST', '0.0.0.0'),
    port: read.integer('CONEXUS_PORT', 7420, { min: 0, max: 65535 }),
    maxRequestBytes: read.integer('CONEXUS_MAX_REQUEST_BYTES', 4 * 1024 * 1024, { min: 1024 }),
    defaultTimeoutMs: read.integer('CONEXUS_TIMEOUT_MS', 10_000, { min: 10 }),
    auth: read.oneOf('CONEXUS_AUTH', ['none'] as const),
    mcpHosts: read.list('CONEXUS_MCP_HOSTS', []),
    mcpOrigins: read.list('CONEXUS_MCP_ORIGINS', []),
  });
}
