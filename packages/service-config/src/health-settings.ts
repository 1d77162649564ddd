import type { EnvReader } from './env-reader.js';

/** Where a service answers its health probes; port 0 serves none. */
export interface HealthSettings {
  readonly port: number;
  readonly host: string;
}

/** Reads CONEXUS_HEALTH_PORT (default 0: off) and CONEXUS_HEALTH_HOST (default 0.0.0.0) into a service's config. */
export function readHealthSettings(read: EnvReader): HealthSettings {
  return {
    port: read.integer('CONEXUS_HEALTH_PORT', 0, { min: 0, max: 65535 }),
    // why: probes come from the kubelet on the pod's IP, not from loopback.
    host: read.string('CONEXUS_HEALTH_HOST', '0.0.0.0'),
  };
}
