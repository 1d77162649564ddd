import { join } from 'node:path';
import { createClient, type Interceptor } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { ContextService, Effect, PolicyService, ResultUnit, type SearchResponse } from '@conexus/api';
import { openKvPolicyStore } from '@conexus/policy';
import {
  eventually,
  freePort,
  startCluster,
  startNatsServer,
  startOidcProvider,
  startProcess,
  type Cluster,
  type NatsServer,
  type OidcProvider,
  type ServiceProcess,
} from '@conexus/testkit';
import type { PolicyEntry } from './synthetic-policy.js';

/** One way of calling search on the same indexed repository. */
export interface SearchMode {
  readonly mode: string;
  search(query: string): Promise<SearchResponse>;
}

/** Two distributed clusters on their own nats-servers, one without and one with access control, holding the same repository. */
export interface AccessBench {
  /**
   * `none`, then the access-control cluster: the user's token with audit on and off, the token of a user whose scope is
   * the one repository, and an API key with the same one-repository scope (both unaudited).
   */
  readonly modes: readonly SearchMode[];
  readonly idp: OidcProvider;
  /** The bearer token of the searching user (the groups and roles of `user`, plus the group granted the repository). */
  readonly userToken: string;
  /** The nats-server of the access-control cluster, where the policy service answers scope requests. */
  readonly accessNatsUrl: string;
  stop(): Promise<void>;
}

/** How the access-control cluster is set up. */
export interface AccessBenchOptions {
  readonly scratch: string;
  readonly repo: string;
  readonly name: string;
  /** Seeded into the policy bucket before the policy service starts; its first tenant is the searching user's. */
  readonly entries: ReadonlyMap<string, PolicyEntry>;
  readonly tenant: string;
  readonly user: { readonly groups: readonly string[]; readonly roles: readonly string[] };
}

const bearer =
  (token: string): Interceptor =>
  (next) =>
  (request) => (request.header.set('authorization', `Bearer ${token}`), next(request));

/** Starts both clusters and a second, unaudited gateway on the access-control one, indexes the repository in both and grants the user. */
export async function startAccessBench(options: AccessBenchOptions): Promise<AccessBench> {
  const { scratch, name } = options;
  const stoppers: Array<() => Promise<void>> = [];
  const started = <T extends { stop(): Promise<void> } | ServiceProcess>(thing: T): T => {
    stoppers.unshift(async () => ('kill' in thing ? thing.kill() : thing.stop()));
    return thing;
  };
  const stop = async (): Promise<void> => {
    for (const stopOne of stoppers) await stopOne().catch(() => undefined);
  };
  try {
    const [plainNats, accessNats] = (
      await Promise.all([
        startNatsServer({ storeDir: join(scratch, 'nats-plain') }),
        startNatsServer({ storeDir: join(scratch, 'nats-access') }),
      ])
    ).map((server) => started(server)) as [NatsServer, NatsServer];
    const idp = started(await startOidcProvider());
    const adminToken = await idp.accessToken({
      subject: 'bench-admin',
      claims: { tenant: options.tenant, roles: ['conexus-admin'] },
      expiresInSec: 3600,
    });
    const userToken = await idp.accessToken({
      subject: 'bench-user',
      claims: { tenant: options.tenant, groups: [...options.user.groups, 'bench'], roles: options.user.roles },
      expiresInSec: 3600,
    });
    const soloToken = await idp.accessToken({
      subject: 'bench-solo',
      claims: { tenant: options.tenant, groups: ['bench'] },
      expiresInSec: 3600,
    });
    const store = await openKvPolicyStore({ servers: accessNats.url });
    const entries = [...options.entries];
    for (let i = 0; i < entries.length; i += 200)
      await Promise.all(entries.slice(i, i + 200).map(([key, entry]) => store.put(key, entry)));
    await store.close();

    const sourceRoots = [join(options.repo, '..')];
    const clusters = (
      await Promise.all([
        startCluster(plainNats.url, join(scratch, 'plain'), { sourceRoots }),
        startCluster(accessNats.url, join(scratch, 'access'), {
          sourceRoots,
          access: { issuer: idp.issuer, audience: idp.audience, adminToken },
        }),
      ])
    ).map((cluster) => started(cluster)) as [Cluster, Cluster];
    const [plain, access] = clusters;
    const port = await freePort();
    started(
      startProcess('gateway-unaudited', 'services/gateway/dist/main.js', {
        NATS_URL: accessNats.url,
        CONEXUS_AUTH: 'oidc',
        OIDC_ISSUER: idp.issuer,
        OIDC_AUDIENCE: idp.audience,
        OIDC_ALLOW_HTTP: 'true',
        CONEXUS_AUDIT: 'off',
        CONEXUS_HOST: '127.0.0.1',
        CONEXUS_PORT: String(port),
      }),
    );
    const unauditedUrl = `http://127.0.0.1:${port}`;
    await eventually(
      async () => ((await fetch(`${unauditedUrl}/readyz`)).status === 200 ? true : undefined),
      60_000,
      'the unaudited gateway',
    );
    await Promise.all(clusters.map((cluster) => cluster.add(name, { path: options.repo })));

    const admin = createClient(
      PolicyService,
      createGrpcTransport({ baseUrl: access.url, interceptors: [bearer(adminToken)] }),
    );
    await admin.grant({
      grant: { case: 'rule', value: { subject: 'group:bench', repo: name, path: '**', effect: Effect.ALLOW } },
    });
    await admin.grant({
      grant: { case: 'rule', value: { subject: 'role:bench-reader', repo: name, path: '**', effect: Effect.ALLOW } },
    });
    const { secret: apiKey } = await admin.createApiKey({ name: 'bench', roles: ['bench-reader'] });

    const searcher = (mode: string, url: string, token?: string): SearchMode => {
      const context = createClient(
        ContextService,
        createGrpcTransport({ baseUrl: url, interceptors: token ? [bearer(token)] : [] }),
      );
      return {
        mode,
        search: (query) =>
          context.search({ query, topK: 10, unit: ResultUnit.FILE, repos: [name] }, { timeoutMs: 10_000 }),
      };
    };
    const modes = [
      searcher('no access control', plain.url),
      searcher('token, audit on', access.url, userToken),
      searcher('token, audit off', unauditedUrl, userToken),
      searcher('token, 1-repo scope, audit off', unauditedUrl, soloToken),
      searcher('api key, audit off', unauditedUrl, apiKey),
    ];
    return { modes, idp, userToken, accessNatsUrl: accessNats.url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
