import { DEFAULT_SHARD_COUNT } from '@conexus/sharding';
import { readEnv } from '@conexus/service-config';
import type { HostAccess } from './adapters/http/host-guard.js';
import type { ProtectedResource } from './adapters/http/protected-resource.js';
import type { TlsFiles } from './adapters/http/read-tls-pair.js';
import type { TokenVerifierOptions } from './adapters/oidc/create-token-verifier.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** The gateway's settings, read once at start. */
export interface GatewayConfig {
  readonly natsUrl: string;
  readonly shardCount: number;
  readonly host: string;
  readonly port: number;
  /** CONEXUS_TLS_CERT and CONEXUS_TLS_KEY (PEM files, re-read when they change): the port speaks TLS; null, cleartext. */
  readonly tls: TlsFiles | null;
  readonly maxRequestBytes: number;
  readonly defaultTimeoutMs: number;
  /** `oidc`: bearer access tokens from OIDC_ISSUER, or API keys; `none` treats every caller as one implicit user (development only). */
  readonly auth: 'oidc' | 'none';
  readonly oidc: {
    readonly issuer: string;
    /** The gateway's resource id: tokens must carry it in `aud`. */
    readonly audience: string;
    /** The gateway's public URL; `<url>/mcp` is then the MCP endpoint's resource id, accepted as an audience too. */
    readonly publicUrl: string | undefined;
    readonly tenantClaim: string;
    readonly groupsClaim: string;
    readonly rolesClaim: string;
    readonly defaultTenant: string | undefined;
    readonly algorithms: readonly string[];
    readonly clockToleranceSec: number;
    readonly jwksCooldownMs: number;
    /** Accept an http issuer: for a loopback provider in tests only. */
    readonly allowInsecureHttp: boolean;
  } | null;
  /** Where reads, admin calls and authentication failures are recorded. */
  readonly audit: 'jetstream' | 'off';
  readonly auditQuery: 'text' | 'hash';
  /** How long audit events are kept, in days; 0 keeps them forever. */
  readonly auditRetentionDays: number;
  /** Host names every route answers to; empty answers any (a gateway behind an ingress that checks Host). */
  readonly allowedHosts: readonly string[];
  /** Browser origins (host names) every route accepts; requests without an Origin are not browsers and pass. */
  readonly allowedOrigins: readonly string[];
  /** Host names `/mcp` answers to; empty turns `/mcp` off. */
  readonly mcpHosts: readonly string[];
  /** Browser origins (host names) `/mcp` accepts; requests without an Origin are not browsers and pass. */
  readonly mcpOrigins: readonly string[];
  /** Derived: every route's Host/Origin allow-lists; null answers any. */
  readonly hosts: HostAccess | null;
  /** Derived: who `/mcp` answers; null turns it off. */
  readonly mcp: HostAccess | null;
  /** Derived: `policy` when callers authenticate (OIDC), so scopes and the admin API go through the policy service. */
  readonly access: 'policy' | 'none';
  /** Derived: the OAuth protected resource described to clients; null without OIDC. */
  readonly oauth: ProtectedResource | null;
  /** Derived: how access tokens are verified; null without OIDC. */
  readonly verifier: TokenVerifierOptions | null;
}

type RawGatewayConfig = Omit<GatewayConfig, 'hosts' | 'mcp' | 'access' | 'oauth' | 'verifier'>;

/** Parses the gateway's environment; one error lists every bad variable. */
export function readGatewayConfig(env: NodeJS.ProcessEnv): GatewayConfig {
  const read = readEnv(env);
  const auth = read.oneOf('CONEXUS_AUTH', ['oidc', 'none'] as const);
  const host = read.string('CONEXUS_HOST', '0.0.0.0');
  // why: without authentication every caller reads everything, so such a gateway may listen on loopback only.
  read.check(
    auth !== 'none' || LOOPBACK.has(host),
    `CONEXUS_AUTH=none is allowed only with CONEXUS_HOST on loopback (127.0.0.1, ::1, localhost), got "${host}"`,
  );
  const certFile = read.string('CONEXUS_TLS_CERT', '');
  const keyFile = read.string('CONEXUS_TLS_KEY', '');
  read.check(
    Boolean(certFile) === Boolean(keyFile),
    `CONEXUS_TLS_CERT and CONEXUS_TLS_KEY must be set together, got only ${certFile ? 'CONEXUS_TLS_CERT' : 'CONEXUS_TLS_KEY'}`,
  );
  const raw: RawGatewayConfig = read.finish({
    natsUrl: read.string('NATS_URL'),
    shardCount: read.integer('CONEXUS_SHARDS', DEFAULT_SHARD_COUNT, { min: 1, max: 4096 }),
    host,
    port: read.integer('CONEXUS_PORT', 7420, { min: 0, max: 65535 }),
    tls: certFile && keyFile ? { certFile, keyFile } : null,
    maxRequestBytes: read.integer('CONEXUS_MAX_REQUEST_BYTES', 4 * 1024 * 1024, { min: 1024 }),
    defaultTimeoutMs: read.integer('CONEXUS_TIMEOUT_MS', 10_000, { min: 10 }),
    auth,
    oidc:
      auth === 'oidc'
        ? {
            issuer: read.string('OIDC_ISSUER'),
            audience: read.string('OIDC_AUDIENCE'),
            publicUrl: read.string('CONEXUS_PUBLIC_URL', '').replace(/\/+$/, '') || undefined,
            tenantClaim: read.string('OIDC_TENANT_CLAIM', 'tenant'),
            groupsClaim: read.string('OIDC_GROUPS_CLAIM', 'groups'),
            rolesClaim: read.string('OIDC_ROLES_CLAIM', 'roles'),
            defaultTenant: read.string('OIDC_DEFAULT_TENANT', '') || undefined,
            algorithms: read.list('OIDC_ALGORITHMS', ['RS256', 'PS256', 'ES256', 'EdDSA']),
            clockToleranceSec: read.integer('OIDC_CLOCK_TOLERANCE_S', 30, { min: 0, max: 300 }),
            jwksCooldownMs: read.integer('OIDC_JWKS_COOLDOWN_MS', 30_000, { min: 0 }),
            allowInsecureHttp: read.oneOf('OIDC_ALLOW_HTTP', ['true', 'false'] as const, 'false') === 'true',
          }
        : null,
    audit: read.oneOf('CONEXUS_AUDIT', ['jetstream', 'off'] as const, auth === 'oidc' ? 'jetstream' : 'off'),
    auditQuery: read.oneOf('CONEXUS_AUDIT_QUERY', ['text', 'hash'] as const, 'text'),
    auditRetentionDays: read.integer('CONEXUS_AUDIT_RETENTION_DAYS', 365, { min: 0 }),
    // why: a gateway without authentication is on loopback, where a rebound browser page is the attacker.
    allowedHosts: read.list('CONEXUS_ALLOWED_HOSTS', auth === 'none' ? LOOPBACK_NAMES : []),
    allowedOrigins: read.list('CONEXUS_ALLOWED_ORIGINS', auth === 'none' ? LOOPBACK_NAMES : []),
    mcpHosts: read.list('CONEXUS_MCP_HOSTS', []),
    mcpOrigins: read.list('CONEXUS_MCP_ORIGINS', []),
  });
  return Object.freeze({ ...raw, ...deriveSettings(raw) });
}

/** The settings that follow from the variables: access lists, the MCP resource id and the verifier's audiences. */
function deriveSettings(
  config: RawGatewayConfig,
): Pick<GatewayConfig, 'hosts' | 'mcp' | 'access' | 'oauth' | 'verifier'> {
  const hosts =
    config.allowedHosts.length > 0
      ? { allowedHosts: config.allowedHosts, allowedOrigins: config.allowedOrigins }
      : null;
  const mcp = config.mcpHosts.length > 0 ? { allowedHosts: config.mcpHosts, allowedOrigins: config.mcpOrigins } : null;
  const { oidc } = config;
  if (!oidc) return { hosts, mcp, access: 'none', oauth: null, verifier: null };
  // why: `<public url>/mcp` is the MCP endpoint's own resource id (RFC 8707), so tokens minted for it are accepted too.
  const mcpResource = oidc.publicUrl ? `${oidc.publicUrl}/mcp` : oidc.audience;
  return {
    hosts,
    mcp,
    access: 'policy',
    oauth: { resource: oidc.audience, mcpResource, issuer: oidc.issuer },
    verifier: { ...oidc, additionalAudiences: mcpResource !== oidc.audience ? [mcpResource] : [] },
  };
}
