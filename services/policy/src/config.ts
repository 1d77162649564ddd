import { readEnv, readHealthSettings, type HealthSettings } from '@conexus/service-config';

/** The policy service's settings, read once at start. */
export interface PolicyConfig {
  readonly natsUrl: string;
  /** The role (from a token's roles claim or a membership) that may change a tenant's policy. */
  readonly adminRole: string;
  /** NATS KV replicas of the policy bucket (1 on a single server, 3 on a cluster). */
  readonly kvReplicas: number;
  /** Where policy changes are recorded. */
  readonly audit: 'jetstream' | 'off';
  /** CONEXUS_HEALTH_PORT/HOST: where `/healthz` and `/readyz` are served (port 0: nowhere). */
  readonly health: HealthSettings;
}

/** Parses the policy service's environment; one error lists every bad variable. */
export function readPolicyConfig(env: NodeJS.ProcessEnv): PolicyConfig {
  const read = readEnv(env);
  return read.finish({
    natsUrl: read.string('NATS_URL'),
    adminRole: read.string('CONEXUS_ADMIN_ROLE', 'conexus-admin'),
    kvReplicas: read.integer('CONEXUS_POLICY_REPLICAS', 1, { min: 1, max: 5 }),
    audit: read.oneOf('CONEXUS_AUDIT', ['jetstream', 'off'] as const, 'jetstream'),
    health: readHealthSettings(read),
  });
}
