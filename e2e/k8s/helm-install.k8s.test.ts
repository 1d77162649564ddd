import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Effect, IndexState } from '@conexus/api';
import { rendezvousOwner, shardOf } from '@conexus/sharding';
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
import { componentPods, evictPod, natsMetaLeader, streamMessages, waitForComponent } from './support/faults.js';
import { startQueryLoad, type LoadReport } from './support/query-load.js';

const NAMESPACE = 'conexus-e2e';
const RELEASE = 'cx';
const GATEWAY = `${RELEASE}-conexus-gateway`;
const GATEWAY_NAME = `${GATEWAY}.${NAMESPACE}.svc`;
const CHART = join(ROOT, 'deploy/helm/conexus');
const LIB_FILES = {
  'src/invoice.ts':
    'export function invoiceTax(net: number, rate: number): number {\n  return Math.round(net * rate * 100) / 100;\n}\n',
};
const APP_FILES = {
  'src/cart.ts':
    'export function cartTotal(items: number[]): number {\n  return items.reduce((a, b) => a + b, 0);\n}\n',
  'src/user.ts': 'export interface User {\n  id: string;\n  email: string;\n}\n',
};

/** The parts of a ConexusRepository's status the test reads. */
interface RepositoryStatusView {
  phase?: string;
  repository?: string;
  commit?: string;
  chunks?: number;
  lagSeconds?: number;
  observedGeneration?: number;
  conditions?: { type: string; status: string; reason: string }[];
}

const SHARDS = 16;
// why: the big repository shares app's shard, so deleting that shard's owner mid-index also tests app's takeover by restore.
const BIG = Array.from({ length: 64 }, (_, i) => `ledger-${i}`).find(
  (name) => shardOf(name, SHARDS) === shardOf('app', SHARDS),
)!;
/** Many small Python modules: slow enough to index that the job can be interrupted. */
function ledgerFiles(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const body = Array.from({ length: 30 }, (_, line) => `    total_${line} = compute_${i}_${line}(value) + ${line}`);
    files[`src/module_${i}.py`] =
      `def handler_${i}(value):\n    \"\"\"Handles case ${i} of the ledger.\"\"\"\n${body.join('\n')}\n    return value\n`;
  }
  return files;
}
const loadLine = (report: LoadReport): string =>
  `queries sent ${report.sent}, failed ${report.failed}, partial ${report.partial}, leaked ${report.leaked}${report.failures.map((failure) => `\n  failed: ${failure}`).join('')}`;

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
      replicas: 2,
      snapshots: { enabled: true },
      resources: small('100m', '256Mi'),
      git: { hosts: [cluster.hostIp], schemes: ['https'], allowedNetworks: [host], caSecret: { name: 'forge-ca' } },
      persistence: { size: '1Gi', whenDeleted: 'Delete' },
      networkPolicy: { gitEgressCidrs: [{ cidr: host }], gitEgressPorts: [Number(forgeUrl.port)] },
    },
    controller: {
      enabled: true,
      tenants: [{ name: 'acme', secretName: 'controller-token', key: 'token' }],
      resources: small('20m', '96Mi'),
      networkPolicy: { apiServerEgress: { cidrs: [`${cluster.nodeIp}/32`], ports: [6443] } },
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
  gitRepo(join(dir, 'forge', 'lib.git'), LIB_FILES, 'lib');
  gitRepo(join(dir, 'forge', `${BIG}.git`), ledgerFiles(3000), 'ledger');
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
  // why: the controller acts for tenant acme with an admin's token, as a platform team's GitOps would.
  await kubectl('create', 'secret', 'generic', 'controller-token', `--from-literal=token=${adminToken}`);
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
    expect([...components].sort()).toEqual(['controller', 'gateway', 'indexer', 'nats', 'policy', 'query']);
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

  it('makes a ConexusRepository applied with kubectl searchable, shows phase, commit and lag in its status, hands the lease to a standby when the leader goes, and removes the repository from search when deleted', async () => {
    const admin = gatewayOverTls(gatewayUrl, gatewayCa, GATEWAY_NAME, adminToken);
    await admin.policy.grant({
      grant: { case: 'rule', value: { subject: 'group:eng', repo: 'lib', path: '**', effect: Effect.ALLOW } },
    });
    const reader = gatewayOverTls(gatewayUrl, gatewayCa, GATEWAY_NAME, readerToken);
    // why: over every repository the reader may read, so the count is 0 (not an error) once lib is gone.
    const libHits = async (): Promise<number> =>
      (await reader.context.search({ query: 'invoice tax', topK: 5 })).results.filter((hit) => hit.repo === 'lib')
        .length;
    const manifest = join(cluster.runDir, 'e2e', 'lib-repository.json');
    writeFileSync(
      manifest,
      JSON.stringify({
        apiVersion: 'conexus.dev/v1alpha1',
        kind: 'ConexusRepository',
        metadata: { name: 'lib', namespace: NAMESPACE },
        spec: { source: forge.url('lib.git'), tenant: 'acme', schedule: '1h' },
      }),
    );
    const from = Date.now();
    await kubectl('apply', '-f', manifest);
    const searchable = await eventually(
      async () => ((await libHits()) > 0 ? Date.now() : undefined),
      120_000,
      'lib to be searchable',
    );
    const status = await eventually(
      async () => {
        const resource = await kubectlJson<{ status?: RepositoryStatusView }>([
          'get',
          'conexusrepository',
          'lib',
          '-n',
          NAMESPACE,
        ]);
        return resource.status?.phase === 'Ready' ? resource.status : undefined;
      },
      60_000,
      'the ConexusRepository status to show Ready',
    );
    const ready = Date.now();
    expect(status).toMatchObject({ repository: 'lib', lagSeconds: 0, observedGeneration: 1 });
    expect(status.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(status.chunks).toBeGreaterThan(0);
    expect(status.conditions).toEqual([expect.objectContaining({ type: 'Ready', status: 'True', reason: 'Indexed' })]);
    const columns = await kubectl('get', 'cxrepo');
    expect(columns).toMatch(/^NAME\s+REPOSITORY\s+TENANT\s+PHASE\s+COMMIT\s+CHUNKS\s+LAG\s+AGE/m);
    expect(columns).toMatch(/^lib\s+lib\s+acme\s+Ready\s/m);
    const lease = await kubectlJson<{ spec: { holderIdentity: string } }>([
      'get',
      'lease',
      `${RELEASE}-conexus-controller`,
      '-n',
      NAMESPACE,
    ]);
    const controllers = (await releasePods(NAMESPACE, RELEASE))
      .filter((pod) => pod.metadata.labels?.['app.kubernetes.io/component'] === 'controller')
      .map((pod) => pod.metadata.name);
    expect(controllers).toContain(lease.spec.holderIdentity);
    note(
      `ConexusRepository applied → searchable ${((searchable - from) / 1000).toFixed(1)} s, status Ready ${((ready - from) / 1000).toFixed(1)} s (commit ${status.commit?.slice(0, 12)}, ${status.chunks} chunks, lag ${status.lagSeconds} s); leader ${lease.spec.holderIdentity} of ${controllers.length}\n${columns.trim()}`,
    );
    // why: the deletion below is then handled by the standby that takes the lease over.
    const took = Date.now();
    await kubectl('delete', 'pod', lease.spec.holderIdentity, '--wait=false');
    const successor = await eventually(
      async () => {
        const holder = (
          await kubectlJson<{ spec: { holderIdentity?: string } }>([
            'get',
            'lease',
            `${RELEASE}-conexus-controller`,
            '-n',
            NAMESPACE,
          ])
        ).spec.holderIdentity;
        return holder && holder !== lease.spec.holderIdentity ? holder : undefined;
      },
      60_000,
      'a standby controller to take the lease',
    );
    note(
      `controller leader ${lease.spec.holderIdentity} deleted: ${successor} holds the lease after ${seconds(took)} s`,
    );
    const deleting = Date.now();
    await kubectl('delete', 'conexusrepository', 'lib', '--wait=true', '--timeout=120s');
    const deleted = Date.now();
    await eventually(async () => ((await libHits()) === 0 ? true : undefined), 60_000, 'lib to leave search');
    const repos = (await admin.context.listRepos({})).repos.map((repo) => repo.name);
    expect(repos).not.toContain('lib');
    note(
      `ConexusRepository deleted: finalizer released after ${((deleted - deleting) / 1000).toFixed(1)} s, gone from search after ${seconds(deleting)} s`,
    );
  });

  it('loses no acknowledged job when the indexer owning a shard is deleted mid-index: another replica takes the shard over by restore and answers are complete again', async () => {
    const admin = gatewayOverTls(gatewayUrl, gatewayCa, GATEWAY_NAME, adminToken);
    const reader = gatewayOverTls(gatewayUrl, gatewayCa, GATEWAY_NAME, readerToken);
    // why: the admin role manages the policy but reads only what it is granted, like everyone else.
    for (const repo of [BIG, 'app'])
      await admin.policy.grant({
        grant: { case: 'rule', value: { subject: 'role:conexus-admin', repo, path: '**', effect: Effect.ALLOW } },
      });
    const load = startQueryLoad(reader, 'cart total', 2, ['app']);
    const { jobId } = await admin.index.addRepo({
      repo: BIG,
      source: { source: { case: 'gitUrl', value: forge.url(`${BIG}.git`) } },
    });
    const stateOf = async () => (await admin.index.getIndexStatus({ repo: BIG })).event;
    await eventually(
      async () => ((await stateOf().catch(() => undefined))?.state === IndexState.INDEXING ? true : undefined),
      120_000,
      `${BIG} to be indexing`,
    );
    const indexers = (await componentPods(NAMESPACE, RELEASE, 'indexer')).map((pod) => pod.metadata.name);
    const owner = rendezvousOwner(shardOf(BIG, SHARDS), indexers)!;
    const from = Date.now();
    await kubectl('delete', 'pod', owner, '--grace-period=1', '--wait=false');
    const interrupted = (await stateOf().catch(() => undefined))?.state ?? IndexState.UNSPECIFIED;
    const done = await eventually(
      async () => {
        const event = await stateOf().catch(() => undefined);
        // why: a replica that took the shard over knows no job ids; its stored index counts once written after the deletion.
        const thisJob = event?.jobId === jobId || (event?.jobId === '' && Date.parse(event.at) >= from);
        return thisJob && event?.state === IndexState.DONE ? event : undefined;
      },
      480_000,
      `${BIG}'s job to finish after its indexer was deleted`,
    );
    const finished = Date.now();
    const complete = await eventually(
      async () => {
        const answer = await admin.context.search({ query: 'ledger handler compute total', topK: 10 });
        const repos = new Set(answer.results.map((result) => result.repo));
        const app = await admin.context.search({ query: 'cart total', topK: 5, repos: ['app'] });
        return !answer.partial && !app.partial && repos.has(BIG) && app.results.length > 0 ? Date.now() : undefined;
      },
      240_000,
      'complete answers over every repository',
    );
    await waitForComponent(NAMESPACE, RELEASE, 'indexer', 2);
    const report = await load.stop();
    note(
      `indexer ${owner} deleted while ${BIG} (3,000 files, shard ${shardOf(BIG, SHARDS)}) was ${IndexState[interrupted]}: job ${jobId} acknowledged 1, lost 0, done after ${((finished - from) / 1000).toFixed(1)} s (${done.chunks} chunks, reported by ${done.jobId ? 'the replica that ran it' : 'the stored index'}); complete answers after ${((complete - from) / 1000).toFixed(1)} s; ${loadLine(report)}`,
    );
    expect(interrupted).not.toBe(IndexState.DONE);
    expect(report.leaked).toBe(0);
    expect(report.sent).toBeGreaterThan(10);
  });

  it('serves no request without its scope while a policy pod is deleted under load', async () => {
    const reader = gatewayOverTls(gatewayUrl, gatewayCa, GATEWAY_NAME, readerToken);
    // why: the ledger matches this query too, but the reader may read only app; a result from it is a leak.
    const load = startQueryLoad(reader, 'compute cart total value', 4, ['app']);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const [victim] = await componentPods(NAMESPACE, RELEASE, 'policy');
    const from = Date.now();
    await kubectl('delete', 'pod', victim!.metadata.name, '--wait=true');
    await waitForComponent(NAMESPACE, RELEASE, 'policy', 2, [victim!.metadata.uid]);
    const back = seconds(from);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const report = await load.stop();
    note(`policy pod ${victim!.metadata.name} deleted; replacement Ready after ${back} s; ${loadLine(report)}`);
    expect(report.leaked).toBe(0);
    expect(report.failed).toBeLessThanOrEqual(Math.floor(report.sent / 200));
    expect(report.sent).toBeGreaterThan(50);
  });

  it('loses no acknowledged job or audit event when the NATS JetStream meta leader is deleted under load', async () => {
    const admin = gatewayOverTls(gatewayUrl, gatewayCa, GATEWAY_NAME, adminToken);
    const reader = gatewayOverTls(gatewayUrl, gatewayCa, GATEWAY_NAME, readerToken);
    const auditBefore = await streamMessages(NAMESPACE, RELEASE, 'CONEXUS_AUDIT');
    const load = startQueryLoad(reader, 'cart total', 4, ['app']);
    const leader = await natsMetaLeader(NAMESPACE, RELEASE);
    const leaderUid = (await componentPods(NAMESPACE, RELEASE, 'nats')).find((pod) => pod.metadata.name === leader)
      ?.metadata.uid;
    const from = Date.now();
    await kubectl('delete', 'pod', leader, '--wait=false');
    // why: jobs queued while the leader is gone must all be acknowledged or refused, and every acknowledged one indexed.
    const jobs: string[] = [];
    let refused = 0;
    for (let attempt = 0; attempt < 5; attempt++) {
      await admin.index.reindex({ repo: 'app' }).then(
        (answer) => jobs.push(answer.jobId),
        () => (refused += 1),
      );
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    }
    await waitForComponent(NAMESPACE, RELEASE, 'nats', 3, leaderUid ? [leaderUid] : [], 300_000);
    const back = seconds(from);
    const last = jobs.at(-1);
    if (last)
      await eventually(
        async () => {
          const event = (await admin.index.getIndexStatus({ repo: 'app' })).event;
          return event?.jobId === last && event.state === IndexState.DONE ? true : undefined;
        },
        240_000,
        'the last acknowledged re-index to finish',
      );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const report = await load.stop();
    // why: the gateway answers a search only after its audit event is stored, so each answered search is one event at least.
    const answered = report.sent - report.failed + jobs.length;
    const audited = (await streamMessages(NAMESPACE, RELEASE, 'CONEXUS_AUDIT')) - auditBefore;
    note(
      `NATS meta leader ${leader} deleted; 3 servers Ready after ${back} s; re-index jobs acknowledged ${jobs.length}, refused ${refused}, lost 0 (the last one indexed); audit events stored ${audited} for ${answered} answered calls; ${loadLine(report)}`,
    );
    expect(audited).toBeGreaterThanOrEqual(answered);
    expect(jobs.length).toBeGreaterThan(0);
    expect(report.leaked).toBe(0);
    expect(report.failed).toBeLessThanOrEqual(Math.floor(report.sent / 20));
  });

  it('keeps answering while each service is drained pod by pod through the Eviction API, its PodDisruptionBudget in force', async () => {
    const reader = gatewayOverTls(gatewayUrl, gatewayCa, GATEWAY_NAME, readerToken);
    const load = startQueryLoad(reader, 'cart total', 4, ['app']);
    const scratch = join(cluster.runDir, 'e2e');
    const lines: string[] = [];
    for (const component of ['gateway', 'query', 'policy', 'indexer']) {
      const from = Date.now();
      const pods = await componentPods(NAMESPACE, RELEASE, component);
      let refused = 0;
      for (const pod of pods) {
        refused += await evictPod(NAMESPACE, pod.metadata.name, scratch);
      }
      await waitForComponent(
        NAMESPACE,
        RELEASE,
        component,
        pods.length,
        pods.map((pod) => pod.metadata.uid),
      );
      lines.push(
        `${component}: ${pods.length} pods evicted in ${seconds(from)} s, ${refused} evictions refused by the PDB`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const report = await load.stop();
    note(`drain, one service at a time:\n  ${lines.join('\n  ')}\n  ${loadLine(report)}`);
    expect(report.leaked).toBe(0);
    expect(report.failed).toBeLessThanOrEqual(Math.floor(report.sent / 200));
    expect(report.sent).toBeGreaterThan(50);
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
    const services = new Set(['gateway', 'query', 'policy', 'indexer', 'controller']);
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
    expect(images.length).toBeGreaterThanOrEqual(9);
    // why: the target is none (0 of 1,037 since responders drain on stop; 1 or 2 in about 900 before), so the
    // bound catches a regression while any failure is printed above.
    expect(report.failed).toBeLessThanOrEqual(Math.floor(report.sent / 200));
    expect(report.sent).toBeGreaterThan(50);
  });

  it('uninstalls leaving nothing of the release behind', async () => {
    await helm('uninstall', RELEASE, '--wait', '--timeout', '5m');
    const kinds =
      'all,configmaps,secrets,persistentvolumeclaims,networkpolicies,poddisruptionbudgets,serviceaccounts,roles,rolebindings';
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
