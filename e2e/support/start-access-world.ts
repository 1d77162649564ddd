import { join } from 'node:path';
import { type Code, ConnectError } from '@connectrpc/connect';
import {
  startCluster,
  startNatsServer,
  startOidcProvider,
  type Cluster,
  type NatsServer,
  type OidcProvider,
} from '@conexus/testkit';
import { gitRepo } from './source-repos.js';

/** The files of acme's repository `web`: one ordinary file and one under a secret folder. */
export const WEB_FILES = {
  'src/cart.ts': 'export function cartTotal(items: number[]) { return items.reduce((a, b) => a + b, 0); } // zqcart\n',
  'src/secret/keys.ts': 'export function signingKeys() { return "zqsigning"; }\n',
};

/** A cluster with access control, the identity provider that signs its tokens, and the NATS server under both. */
export interface AccessWorld {
  readonly nats: NatsServer;
  readonly idp: OidcProvider;
  readonly cluster: Cluster;
  /** An access token for acme's admin (`root`, role conexus-admin). */
  readonly adminToken: string;
  /** An access token for a user of acme (or of the tenant the claims name). */
  token(subject: string, claims?: Record<string, unknown>): Promise<string>;
  /** The policy subject of a user of this world's provider. */
  user(subject: string): string;
  stop(): Promise<void>;
}

/**
 * Starts a real nats-server, a real OpenID provider and a cluster with two policy replicas and MCP served
 * on loopback, with nothing indexed; paths under `<scratch>/sources` may be indexed.
 */
export async function startAccessCluster(scratch: string): Promise<AccessWorld> {
  const nats = await startNatsServer({ storeDir: join(scratch, 'nats') });
  const idp = await startOidcProvider();
  const token = (subject: string, claims: Record<string, unknown> = {}) =>
    idp.accessToken({ subject, claims: { tenant: 'acme', ...claims } });
  const adminToken = await token('root', { roles: ['conexus-admin'] });
  const cluster = await startCluster(nats.url, scratch, {
    sourceRoots: [join(scratch, 'sources')],
    access: {
      issuer: idp.issuer,
      audience: idp.audience,
      adminToken,
      policyReplicas: 2,
      gatewayEnv: { CONEXUS_MCP_HOSTS: '127.0.0.1,localhost' },
    },
  });
  return {
    nats,
    idp,
    cluster,
    adminToken,
    token,
    user: (subject) => `user:${idp.issuer}#${subject}`,
    async stop() {
      await cluster.stop();
      await idp.stop();
      await nats.stop();
    },
  };
}

/** The access cluster of `startAccessCluster`, with acme's repository `web` indexed (a git repository, so reads carry a commit). */
export async function startAccessWorld(scratch: string): Promise<AccessWorld> {
  const world = await startAccessCluster(scratch);
  await world.cluster.add('web', { path: gitRepo(join(scratch, 'sources', 'web'), WEB_FILES, 'web') });
  return world;
}

/** The Connect code a call fails with, or `ok`. */
export async function codeOf(promise: Promise<unknown>): Promise<Code | 'ok'> {
  return promise.then(
    () => 'ok' as const,
    (error: unknown) => ConnectError.from(error).code,
  );
}
