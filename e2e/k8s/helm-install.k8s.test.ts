import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Effect } from '@conexus/api';
import {
  eventually,
  issueTestCertificates,
  ROOT,
  startGitHttpsServer,
  startOidcProvider,
  type GitHttpsServer,
  type OidcProvider,
} from '@conexus/testkit';
import { gitRepo } from '../support/source-repos.js';
import { closeGatewayClients, gatewayOverTls } from './support/gateway-over-tls.js';
import { grpcSearch } from './support/grpc-search.js';
import { clusterRun, kubectlJson, releasePods, run } from './support/kube.js';
import { startQueryLoad } from './support/query-load.js';

const NAMESPACE = 'conexus-e2e';
const RELEASE = 'cx';
const GATEWAY = `${RELEASE}-conexus-gateway`;
const GATEWAY_NAME = `${GATEWAY}.${NAMESPACE}.svc`;
const CHART = join(ROOT, 'deploy/helm/conexus');
const APP_FILES = {
  'src/cart.ts':
    'export function cartTotal(items: number[]): number {\n  return items.reduce((a, b) => a + b, 0);\n}\n',
  'src/user.ts': 'export interface User {\n  id: string;\n  email: string;\n}\n',
};

const cluster = clusterRun();
const started = Date.now();
const seconds = (from: number): string => ((Date.now() - from) / 1000).toFixed(1);
// why: the numbers the closing note reports come from this line, not from jest's timing.
const note = (line: string): void => void process.stderr.write(`[e2e:k8s] ${line}\n`);

let idp: OidcProvider;
let forge: GitHttpsServer;
let adminToken: string;
let readerToken: string;
let gatewayCa: Buffer;
let gatewayUrl: string;

const helm = (...args: string[]) => run('helm', [...args, '--namespace', NAMESPACE]);
const kubectl = (...args: string[]) => run('kubectl', [...args, '--namespace', NAMESPACE]);

/** The chart values of this test: the project's images, bundled NATS, OIDC from the test provider, TLS, the forge. */
function values(forgeUrl: URL): Record<string, unknown> {
  const host = `${cluster.hostIp}/32`;
  const small = (cpu: string, memory: string) => ({ requests: { cpu, memory }, limits: { memory: '1Gi' } });
  return {
    image: { tag: cluster.tag, pullPolicy: 'Never' },
    nats: {
      bundled: {
        enabled: true,
        persistence: { size: '1Gi', whenDeleted: 'Delete' },
        jetstream: { maxFile: '900M' },
        resources: small('50m', '64Mi'),
      },
    },
    auth: { oidc: { issuer: idp.issuer, audience: idp.audience, allowHttp: true } },
    gateway: {
      tls: { secretName: 'gateway-tls' },
      resources: small('50m', '128Mi'),
      networkPolicy: { oidcEgress: { cidrs: [host], ports: [Number(new URL(idp.issuer).port)] } },
    },
    query: { resources: small('50m', '128Mi') },
    policy: { resources: small('50m', '128Mi') },
    indexer: {
      resources: small('100m', '256Mi'),
      git: { hosts: [cluster.hostIp], schemes: ['https'], allowedNetworks: [host], caSecret: { name: 'forge-ca' } },
      persistence: { size: '1Gi', whenDeleted: 'Delete' },
      networkPolicy: { gitEgressCidrs: [{ cidr: host }], gitEgressPorts: [Number(forgeUrl.port)] },
    },
    tests: { enabled: true, query: 'cart total', credentialsSecret: { name: 'search-token' } },
  };
}

beforeAll(async () => {
  const dir = join(cluster.runDir, 'e2e');
  mkdirSync(dir, { recursive: true });
  idp = await startOidcProvider({ host: cluster.hostIp });
  adminToken = await idp.accessToken({
    subject: 'root',
    claims: { tenant: 'acme', roles: ['conexus-admin'] },
    expiresInSec: 3600,
  });
  readerToken = await idp.accessToken({
    subject: 'reader',
    claims: { tenant: 'acme', groups: ['eng'] },
    expiresInSec: 3600,
  });
  gitRepo(join(dir, 'forge', 'app.git'), APP_FILES, 'app');
  const forgeTls = issueTestCertificates(join(dir, 'forge-tls'), { ipAddresses: [cluster.hostIp] });
  forge = await startGitHttpsServer(join(dir, 'forge'), forgeTls, cluster.hostIp);
  const gatewayTls = issueTestCertificates(join(dir, 'gateway-tls'), {
    dnsNames: [GATEWAY, `${GATEWAY}.${NAMESPACE}`, GATEWAY_NAME, `${GATEWAY_NAME}.cluster.local`],
  });
  gatewayCa = readFileSync(gatewayTls.caFile);
  await run('kubectl', ['create', 'namespace', NAMESPACE]);
  await run('kubectl', ['label', 'namespace', NAMESPACE, 'pod-security.kubernetes.io/enforce=restricted']);
  await kubectl(
    'create',
    'secret',
    'generic',
    'gateway-tls',
    '--type=kubernetes.io/tls',
    `--from-file=tls.crt=${gatewayTls.certFile}`,
    `--from-file=tls.key=${gatewayTls.keyFile}`,
    `--from-file=ca.crt=${gatewayTls.caFile}`,
  );
  await kubectl('create', 'secret', 'generic', 'forge-ca', `--from-file=ca.crt=${forgeTls.caFile}`);
  // why: the helm test's search runs as a reader of the tenant, like any user would.
  await kubectl('create', 'secret', 'generic', 'search-token', `--from-literal=token=${readerToken}`);
  writeFileSync(join(dir, 'values.json'), JSON.stringify(values(new URL(forge.url('app.git')))));
});

afterAll(async () => {
  closeGatewayClients();
  await forge?.stop();
  await idp?.stop();
});

describe('the Helm chart on a real cluster', () => {
  it('installs with every pod Running and Ready, non-root under restricted Pod Security', async () => {
    const from = Date.now();
    await helm(
      'install',
      RELEASE,
      CHART,
      '-f',
      join(cluster.runDir, 'e2e', 'values.json'),
      '--wait',
      '--timeout',
      '8m',
    );
    note(`helm install --wait: ${seconds(from)} s`);
    const pods = await releasePods(NAMESPACE, RELEASE);
    const components = new Set(pods.map((pod) => pod.metadata.labels?.['app.kubernetes.io/component']));
    expect([...components].sort()).toEqual(['gateway', 'indexer', 'nats', 'policy', 'query']);
    for (const pod of pods) {
      expect({ pod: pod.metadata.name, phase: pod.status.phase }).toEqual({ pod: pod.metadata.name, phase: 'Running' });
      expect(pod.status.containerStatuses?.every((status) => status.ready)).toBe(true);
      expect(pod.spec.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
    }
    const service = await kubectlJson<{ spec: { clusterIP: string } }>(['get', 'service', GATEWAY, '-n', NAMESPACE]);
    gatewayUrl = `https://${service.spec.clusterIP}:7420`;
    note(`pods: ${pods.length} Running and Ready; gateway Service at ${gatewayUrl}`);
  });

  it('adds a repository from a git host over https, and an OIDC-authenticated search through the gateway Service finds it', async () => {
    const admin = gatewayOverTls(gatewayUrl, gatewayCa, GATEWAY_NAME, adminToken);
    const from = Date.now();
    await admin.index.addRepo({ repo: 'app', source: { source: { case: 'gitUrl', value: forge.url('app.git') } } });
    await admin.policy.grant({
      grant: { case: 'rule', value: { subject: 'group:eng', repo: 'app', path: '**', effect: Effect.ALLOW } },
    });
    const reader = gatewayOverTls(gatewayUrl, gatewayCa, GATEWAY_NAME, readerToken);
    const hits = await eventually(
      async () => {
        const answer = await reader.context.search({ query: 'cart total', topK: 5 });
        return answer.results.length > 0 ? answer.results : undefined;
      },
      120_000,
      'the added repository to be searchable',
    );
    note(`AddRepo → searchable through the Service: ${seconds(from)} s (forge requests: ${forge.requests()})`);
    expect(hits[0]).toMatchObject({ repo: 'app', path: 'src/cart.ts' });
    const anonymous = gatewayOverTls(gatewayUrl, gatewayCa, GATEWAY_NAME, 'not-a-token');
    await expect(anonymous.context.search({ query: 'cart total' })).rejects.toMatchObject({ code: 16 });
  });

  it('answers an @grpc/grpc-js client over TLS', async () => {
    const address = gatewayUrl.replace('https://', '');
    const answer = await grpcSearch({ address, serverName: GATEWAY_NAME, ca: gatewayCa }, readerToken, 'cart total');
    expect(answer.results[0]).toMatchObject({ repo: 'app', path: 'src/cart.ts' });
  });

  it('passes its helm test, a real search from inside the cluster', async () => {
    const output = await helm('test', RELEASE, '--timeout', '3m');
    expect(output).toMatch(/Phase:\s+Succeeded/);
  });

  it('upgrades to a new image tag under steady query load, failing at most one query in 200', async () => {
    const client = gatewayOverTls(gatewayUrl, gatewayCa, GATEWAY_NAME, readerToken);
    const load = startQueryLoad(client, 'cart total', 4);
    const from = Date.now();
    await helm(
      'upgrade',
      RELEASE,
      CHART,
      '--reuse-values',
      '--set',
      `image.tag=${cluster.upgradeTag}`,
      '--wait',
      '--timeout',
      '8m',
    );
    const upgradeSeconds = seconds(from);
    // why: old pods drain after `--wait` returns (preStop, then SIGTERM); the load runs until the last is gone.
    const services = new Set(['gateway', 'query', 'policy', 'indexer']);
    const images = await eventually(
      async () => {
        const pods = (await releasePods(NAMESPACE, RELEASE)).filter((pod) =>
          services.has(pod.metadata.labels?.['app.kubernetes.io/component'] ?? ''),
        );
        const all = pods.flatMap((pod) => pod.spec.containers.map((container) => container.image));
        return all.every((image) => image.endsWith(`:${cluster.upgradeTag}`)) ? all : undefined;
      },
      180_000,
      'every old pod to be gone',
    );
    const rolledSeconds = seconds(from);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const report = await load.stop();
    note(
      `helm upgrade ${cluster.tag} → ${cluster.upgradeTag}: --wait returned after ${upgradeSeconds} s, last old pod gone after ${rolledSeconds} s; queries sent ${report.sent}, failed ${report.failed}, partial ${report.partial}${report.failures.map((failure) => `\n  failed: ${failure}`).join('')}`,
    );
    expect(images.length).toBeGreaterThanOrEqual(7);
    // why: the target is none (0 of 1,037 since responders drain on stop; 1 or 2 in about 900 before), so the
    // bound catches a regression while any failure is printed above.
    expect(report.failed).toBeLessThanOrEqual(Math.floor(report.sent / 200));
    expect(report.sent).toBeGreaterThan(50);
  });

  it('uninstalls leaving nothing of the release behind', async () => {
    await helm('uninstall', RELEASE, '--wait', '--timeout', '5m');
    const kinds = 'all,configmaps,secrets,persistentvolumeclaims,networkpolicies,poddisruptionbudgets,serviceaccounts';
    const left = await eventually(
      async () => {
        const list = await kubectlJson<{ items: { kind: string; metadata: { name: string } }[] }>([
          'get',
          kinds,
          '-n',
          NAMESPACE,
          '-l',
          `app.kubernetes.io/instance=${RELEASE}`,
        ]);
        return list.items.length === 0 ? list.items : undefined;
      },
      120_000,
      'the release to be gone',
    );
    expect(left).toEqual([]);
    note(`whole run: ${seconds(started)} s`);
  });
});
