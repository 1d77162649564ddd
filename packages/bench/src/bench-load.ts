import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { ContextService, IndexService, IndexState, ResultUnit } from '@conexus/api';
import { eventually, freePort, startCluster, startNatsServer, startProcess } from '@conexus/testkit';
import { benchArgs } from './bench-args.js';
import { runOpenLoad, type LoadResult } from './open-load.js';

const args = benchArgs({
  repo: '',
  queries: '../shared/bench/swebench-verified-dev.jsonl',
  levels: '1,8,32,64',
  seconds: '20',
  'rate-per-client': '1',
});
if (!args.repo) {
  process.stderr.write(
    'usage: npm run bench:load -- --repo DIR [--queries FILE] [--levels 1,8,32,64] [--seconds 20] [--rate-per-client 1]\n',
  );
  process.exit(2);
}
const repo = resolve(args.repo);
const name = basename(repo);
const levels = args.levels.split(',').map(Number);
const seconds = Number(args.seconds);
const ratePerClient = Number(args['rate-per-client']);
const queries = readFileSync(args.queries, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as { problem_statement?: string; text?: string })
  .map((row) => (row.problem_statement ?? row.text ?? '').slice(0, 2000));
const scratch = mkdtempSync(join(tmpdir(), 'conexus-bench-load-'));
const print = (line: string): void => void process.stdout.write(`${line}\n`);

const nats = await startNatsServer({ storeDir: join(scratch, 'nats') });
const cluster = await startCluster(nats.url, scratch, { sourceRoots: [dirname(repo)] });
const port = await freePort();
const embedded = startProcess('embedded', 'packages/cli/dist/main.js', { CONEXUS_EMBEDDER: 'none' }, [
  'serve',
  '--port',
  String(port),
  '--data-dir',
  join(scratch, 'embedded'),
  '--source-root',
  dirname(repo),
]);
const embeddedUrl = `http://127.0.0.1:${port}`;
try {
  await eventually(
    async () => ((await fetch(`${embeddedUrl}/readyz`)).status === 200 ? true : undefined),
    60_000,
    'the embedded server',
  );
  const servers = { embedded: embeddedUrl, distributed: cluster.url };
  for (const [mode, url] of Object.entries(servers)) {
    const index = createClient(IndexService, createGrpcTransport({ baseUrl: url }));
    const started = performance.now();
    const { jobId } = await index.addRepo({ repo: name, source: { source: { case: 'path', value: repo } } });
    await eventually(
      async () => {
        const event = (await index.getIndexStatus({ repo: name })).event;
        return event?.jobId === jobId && event.state === IndexState.DONE ? true : undefined;
      },
      600_000,
      `${mode} indexing`,
    );
    print(`${mode}: indexed ${name} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const clients = Object.fromEntries(
    Object.entries(servers).map(([mode, url]) => [
      mode,
      createClient(ContextService, createGrpcTransport({ baseUrl: url })),
    ]),
  );
  const send = (mode: string) => (i: number) =>
    clients[mode]!.search(
      { query: queries[i % queries.length]!, topK: 10, unit: ResultUnit.FILE, repos: [name] },
      { timeoutMs: 10_000 },
    );
  for (const mode of Object.keys(servers)) for (let i = 0; i < 20; i++) await send(mode)(i);

  print(
    `\nsearch through the gateway on loopback, ${queries.length} issue texts, open-model load (${ratePerClient} req/s per client, Poisson), ${seconds} s per level`,
  );
  print('mode         clients  offered/s  achieved/s  requests  errors  partial  p50 ms  p99 ms');
  const results = new Map<string, LoadResult>();
  for (const level of levels) {
    for (const mode of Object.keys(servers)) {
      const result = await runOpenLoad(send(mode), level, ratePerClient, seconds);
      results.set(`${mode}:${level}`, result);
      print(
        `${mode.padEnd(12)} ${String(level).padStart(7)} ${result.offeredRps.toFixed(0).padStart(10)} ${result.achievedRps.toFixed(1).padStart(11)} ` +
          `${String(result.requests).padStart(9)} ${String(result.errors).padStart(7)} ${String(result.partial).padStart(8)} ${result.p50Ms.toFixed(1).padStart(7)} ${result.p99Ms.toFixed(1).padStart(7)}`,
      );
    }
  }
  print('\nfan-out cost (distributed p50 minus embedded p50):');
  for (const level of levels) {
    const cost = results.get(`distributed:${level}`)!.p50Ms - results.get(`embedded:${level}`)!.p50Ms;
    print(`  ${String(level).padStart(2)} clients: ${cost >= 0 ? '+' : ''}${cost.toFixed(1)} ms`);
  }
} finally {
  await Promise.all([cluster.stop(), embedded.kill()]);
  await nats.stop();
  rmSync(scratch, { recursive: true, force: true });
}
