import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { ContextService, IndexService, IndexState, ResultUnit, type SearchResult } from '@conexus/api';
import { shardOf } from '@conexus/sharding';
import {
  eventually,
  FAST,
  freePort,
  startCluster,
  startNatsServer,
  startProcess,
  type Cluster,
  type NatsServer,
  type ServiceProcess,
} from '@conexus/testkit';
import { bareClone, largeRepo, repoFromProjectFolder } from './support/source-repos.js';

const scratch = mkdtempSync(join(tmpdir(), 'conexus-e2e-'));
const QUERIES = [
  'rendezvous hashing owner of a shard',
  'typed error with a code from the closed vocabulary',
  'dead letter after the last delivery',
  'how is a job redelivered when the worker fails',
];
let nats: NatsServer;
let cluster: Cluster;
let embedded: ServiceProcess;
let embeddedUrl: string;
const sources: Record<string, string> = {};

const summary = (results: readonly SearchResult[]) =>
  results.map((result) => `${result.repo}:${result.path}:${result.startLine}-${result.endLine}:${result.score}`);

beforeAll(async () => {
  nats = await startNatsServer({ storeDir: join(scratch, 'nats') });
  sources.kernel = repoFromProjectFolder(scratch, 'kernel', 'packages/kernel/src');
  sources.sharding = repoFromProjectFolder(scratch, 'sharding', 'packages/sharding/src');
  sources.bus = repoFromProjectFolder(scratch, 'bus', 'packages/bus/src');
  cluster = await startCluster(nats.url, scratch, {
    indexerEnv: FAST,
    sourceRoots: [join(scratch, 'sources'), join(scratch, 'remotes')],
  });
  const port = await freePort();
  embedded = startProcess('embedded', 'packages/cli/dist/main.js', { CONEXUS_EMBEDDER: 'none' }, [
    'serve',
    '--port',
    String(port),
    '--data-dir',
    join(scratch, 'embedded-data'),
    '--source-root',
    join(scratch, 'sources'),
  ]);
  embeddedUrl = `http://127.0.0.1:${port}`;
  await eventually(
    async () => ((await fetch(`${embeddedUrl}/readyz`)).status === 200 ? true : undefined),
    60_000,
    'the embedded server',
  );
}, 300_000);

afterAll(async () => {
  if (process.env.CONEXUS_E2E_LOGS) writeFileSync(process.env.CONEXUS_E2E_LOGS, cluster?.logs() ?? '');
  await Promise.all([cluster?.stop(), embedded?.kill()]);
  await nats?.stop();
  rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
});

describe('distributed services over NATS', () => {
  it('indexes three real repositories on two replicas, by git URL and by path', async () => {
    await cluster.add('kernel', { gitUrl: `file://${bareClone(scratch, sources.kernel!, 'kernel')}` });
    await cluster.add('sharding', { path: sources.sharding! });
    await cluster.add('bus', { path: sources.bus! });
    const repos = (await cluster.context.listRepos({})).repos;
    expect(repos.map((repo) => repo.name)).toEqual(['bus', 'kernel', 'sharding']);
    expect(repos.every((repo) => repo.chunks > 0 && repo.commit.length === 40)).toBe(true);
    const owners = new Set(repos.map((repo) => cluster.ownerOf(repo.shard)));
    expect(owners.size).toBeGreaterThanOrEqual(1);
    expect([...owners].every((owner) => owner === 'indexer-0' || owner === 'indexer-1')).toBe(true);
  }, 180_000);

  it('answers over gRPC and JSON/HTTP exactly as the embedded server does on the same data', async () => {
    const local = createClient(IndexService, createGrpcTransport({ baseUrl: embeddedUrl }));
    for (const name of ['kernel', 'sharding', 'bus']) {
      const { jobId } = await local.addRepo({
        repo: name,
        source: { source: { case: 'path', value: sources[name]! } },
      });
      await eventually(
        async () => {
          const event = (await local.getIndexStatus({ repo: name })).event;
          return event?.jobId === jobId && event.state === IndexState.DONE ? true : undefined;
        },
        60_000,
        `embedded ${name}`,
      );
    }
    const embeddedContext = createClient(ContextService, createGrpcTransport({ baseUrl: embeddedUrl }));
    for (const query of QUERIES) {
      for (const unit of [ResultUnit.CHUNK, ResultUnit.FILE]) {
        const distributed = await cluster.context.search({ query, topK: 8, unit });
        expect(distributed.partial).toBe(false);
        expect(distributed.results.length).toBeGreaterThan(0);
        const json = await fetch(`${cluster.url}/conexus.v1.ContextService/Search`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query, topK: 8, unit: `RESULT_UNIT_${ResultUnit[unit]}` }),
        });
        const body = (await json.json()) as { results: (SearchResult & { score?: number })[] };
        expect(
          body.results.map(
            (result) => `${result.repo}:${result.path}:${result.startLine}-${result.endLine}:${result.score ?? 0}`,
          ),
        ).toEqual(summary(distributed.results));
        expect(summary((await embeddedContext.search({ query, topK: 8, unit })).results)).toEqual(
          summary(distributed.results),
        );
      }
    }
    const file = await cluster.context.getFile({ repo: 'sharding', path: 'shard-of.ts', startLine: 1, endLine: 1 });
    expect(file.text).toBe("import { contentHash } from '@conexus/kernel';\n");
  }, 180_000);

  it('finishes a job after its indexer is killed mid-job, with no duplicate or missing chunks', async () => {
    const ledger = largeRepo(scratch, 'ledger', 2500);
    const shard = shardOf('ledger', 16);
    const owner = cluster.ownerOf(shard)!;
    const { jobId } = await cluster.index.addRepo({
      repo: 'ledger',
      source: { source: { case: 'path', value: ledger } },
    });
    await eventually(
      () => (cluster.indexers.get(owner)!.output().includes(`"jobId":"${jobId}"`) ? true : undefined),
      30_000,
      'the job to start',
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    await cluster.indexers.get(owner)!.kill('SIGKILL');
    await eventually(
      async () =>
        (await cluster.context.listRepos({})).repos.find((repo) => repo.name === 'ledger' && repo.files === 2500)
          ? true
          : undefined,
      120_000,
      'ledger after redelivery',
    );
    const redelivered = new RegExp(`"jobId":"${jobId}","delivery":[2-9]`);
    expect([...cluster.indexers.values()].some((process) => redelivered.test(process.output()))).toBe(true);
    const ledgerRepo = (await cluster.context.listRepos({})).repos.find((repo) => repo.name === 'ledger')!;
    expect(ledgerRepo.chunks).toBe(2500);
    for (const name of ['handler_0', 'handler_1234', 'handler_2499']) {
      const found = await cluster.context.findSymbol({ name, repos: ['ledger'] });
      expect(found.symbols.map((symbol) => symbol.symbol)).toEqual([name]);
    }
    cluster.startIndexer(owner);
    await cluster.settled();
  }, 240_000);

  it('says partial while a shard owner is gone, then answers fully once its shards move', async () => {
    const shard = shardOf('kernel', 16);
    const owner = cluster.ownerOf(shard)!;
    await cluster.indexers.get(owner)!.kill('SIGKILL');
    // why: with no owner for any shard it needs, a search waits for one within its deadline; a short deadline
    // (under the three missed heartbeats a takeover takes) shows what a caller sees in the meantime.
    const during = await cluster.context.search({ query: 'typed error code', topK: 5 }, { timeoutMs: 1_500 });
    expect(during.partial).toBe(true);
    expect(during.missingShards).toContain(shard);
    const after = await eventually(
      async () => {
        const response = await cluster.context.search({ query: 'typed error code', topK: 5, repos: ['kernel'] });
        return response.partial ? undefined : response;
      },
      30_000,
      'the shard to move',
    );
    expect(after.results[0]?.repo).toBe('kernel');
    expect(cluster.ownerOf(shard)).not.toBe(owner);
    cluster.startIndexer(owner);
    await cluster.settled();
  }, 120_000);

  it('reconnects after nats-server restarts and loses no acknowledged job', async () => {
    await Promise.all([...cluster.indexers.values()].map((process) => process.kill('SIGTERM')));
    const retail = repoFromProjectFolder(scratch, 'retail', 'packages/telemetry/src');
    const { jobId } = await cluster.index.addRepo({
      repo: 'retail',
      source: { source: { case: 'path', value: retail } },
    });
    expect(jobId).toBeTruthy();
    await nats.restart();
    cluster.startIndexer('indexer-0');
    cluster.startIndexer('indexer-1');
    await eventually(
      async () =>
        (await cluster.context.listRepos({})).repos.some((repo) => repo.name === 'retail') ? true : undefined,
      120_000,
      'the queued job after the restart',
    );
    await cluster.settled();
    const response = await cluster.context.search({
      query: 'structured logging json lines',
      topK: 3,
      repos: ['retail'],
    });
    expect(response.results[0]?.path).toBe('logger.ts');
  }, 240_000);
});
