import { DEFAULT_SHARD_COUNT } from '@conexus/sharding';
import { readEnv } from '@conexus/service-config';

/** The query service's settings, read once at start. */
export interface QueryConfig {
  readonly natsUrl: string;
  readonly shardCount: number;
  /** `none` serves one implicit user and exists for development and tests until a policy endpoint is configured. */
  readonly auth: 'none';
}

/** Parses the query service's environment; one error lists every bad variable. */
export function readQueryConfig(env: NodeJS.ProcessEnv): QueryConfig {
  const read = readEnv(env);
  return read.finish({
    natsUrl: read.string('NATS_URL'),
    shardCount: read.integer('CONEXUS_SHARDS', DEFAULT_SHARD_COUNT, { min: 1, max: 4096 }),
    // why: without a policy endpoint nobody's scope is known; starting anyway must be an explicit choice.
    auth: read.oneOf('CONEXUS_AUTH', ['none'] as const),
  });
}
