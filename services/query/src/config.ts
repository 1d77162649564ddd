import { DEFAULT_SHARD_COUNT } from '@conexus/sharding';
import { readEnv, readHealthSettings, type HealthSettings } from '@conexus/service-config';

/** The query service's settings, read once at start. */
export interface QueryConfig {
  readonly natsUrl: string;
  readonly shardCount: number;
  /** `policy` asks the policy service for each caller's scope; `none` serves one implicit user (development only). */
  readonly auth: 'policy' | 'none';
  /** CONEXUS_HEALTH_PORT/HOST: where `/healthz` and `/readyz` are served (port 0: nowhere). */
  readonly health: HealthSettings;
}

/** Parses the query service's environment; one error lists every bad variable. */
export function readQueryConfig(env: NodeJS.ProcessEnv): QueryConfig {
  const read = readEnv(env);
  return read.finish({
    natsUrl: read.string('NATS_URL'),
    shardCount: read.integer('CONEXUS_SHARDS', DEFAULT_SHARD_COUNT, { min: 1, max: 4096 }),
    // why: serving without access control must be an explicit choice.
    auth: read.oneOf('CONEXUS_AUTH', ['policy', 'none'] as const, 'policy'),
    health: readHealthSettings(read),
  });
}
