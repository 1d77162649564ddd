import { readEnv, readHealthSettings, type HealthSettings } from '@conexus/service-config';

/** The controller's settings, read once at start. */
export interface ControllerConfig {
  /** The gateway's Service URL, e.g. https://conexus-gateway.conexus.svc:7420. */
  readonly gatewayUrl: string;
  /** CONEXUS_GATEWAY_CA_FILE: the CA the gateway's certificate is checked against; empty: the system's. */
  readonly gatewayCaFile: string;
  /** CONEXUS_CREDENTIALS_DIR: one `<tenant>/token` file per tenant the controller acts for. */
  readonly credentialsDir: string;
  /** CONEXUS_WATCH_NAMESPACE: the namespace whose ConexusRepository objects are reconciled. */
  readonly namespace: string;
  /** CONEXUS_LEASE_NAME and CONEXUS_CONTROLLER_IDENTITY: the Lease the replicas elect a leader with, and this replica's name. */
  readonly leaseName: string;
  readonly identity: string;
  readonly health: HealthSettings;
}

/** Parses the controller's environment; one error lists every bad variable. */
export function readControllerConfig(env: NodeJS.ProcessEnv): ControllerConfig {
  const read = readEnv(env);
  const gatewayUrl = read.string('CONEXUS_GATEWAY_URL');
  read.check(/^https?:\/\/[^/]+/.test(gatewayUrl), `CONEXUS_GATEWAY_URL must be an http(s) URL, got "${gatewayUrl}"`);
  return read.finish({
    gatewayUrl,
    gatewayCaFile: read.string('CONEXUS_GATEWAY_CA_FILE', ''),
    credentialsDir: read.string('CONEXUS_CREDENTIALS_DIR', '/etc/conexus/tenants'),
    namespace: read.string('CONEXUS_WATCH_NAMESPACE'),
    leaseName: read.string('CONEXUS_LEASE_NAME', 'conexus-controller'),
    identity: read.string('CONEXUS_CONTROLLER_IDENTITY', env['HOSTNAME']),
    health: readHealthSettings(read),
  });
}
