import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs } from './bench-args.js';
import { summarizeLatency, type LatencySummary } from './measure-latency.js';

// Measures whether a repository being embedded slows the embedded server: /healthz and Search latency on an idle
// server, then while a second repository is indexed and embedded, then idle again; and the time from SIGTERM to exit
// while a third one embeds. The server is `conexus serve` as a child process, asked over HTTP like any client.
const args = benchArgs({
  cli: fileURLToPath(new URL('../../cli/dist/main.js', import.meta.url)),
  embedder: join(homedir(), '.cache', 'conexus', 'models', 'bge-small-en-v1.5'),
  idle: fileURLToPath(new URL('../../engine/src', import.meta.url)),
  busy: '/work/.mirror/psf+requests/repo',
  stop: '/work/.mirror/pallets+flask/repo',
  calls: '100',
  query: 'where are search results ranked',
});
const calls = Number(args.calls);
// why: a server frozen by embedding answers each request only after seconds; each phase ends after a minute.
const WINDOW_MS = 60_000;
const work = mkdtempSync(join(tmpdir(), 'conexus-bench-serve-'));
const sources = join(work, 'sources');
cpSync(args.idle, join(sources, 'idle'), { recursive: true });
for (const [name, mirror] of [
  ['busy', args.busy],
  ['stop', args.stop],
] as const)
  execFileSync('git', ['clone', '-q', mirror, join(sources, name)]);

// why: the same benchmark measures servers from before `--no-watch` existed (they do not watch).
const help = execFileSync(process.execPath, [args.cli, 'serve', '--help'], { encoding: 'utf8' });
const noWatch = help.includes('--no-watch') ? ['--no-watch'] : [];
const port = await freePort();
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const server = spawn(
  process.execPath,
  [
    args.cli,
    'serve',
    '--port',
    String(port),
    '--data-dir',
    join(work, 'data'),
    '--embedder',
    args.embedder,
    '--index',
    join(sources, 'idle'),
    '--source-root',
    sources,
    ...noWatch,
  ],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
const exited = new Promise<number>((resolve) => server.once('exit', () => resolve(performance.now())));
try {
  await until(async () => (await call('GET', '/healthz', null, 1_000)).status === 200, 120_000);
  await until(async () => (await state('idle')) === 'INDEX_STATE_DONE', 600_000);
  const idle = await measure(() => true);
  await rpc('IndexService/AddRepo', { repo: 'busy', source: { path: join(sources, 'busy') } });
  await embedding('busy');
  const busy = await measure(async () => !['INDEX_STATE_DONE', 'INDEX_STATE_FAILED'].includes(await state('busy')));
  await until(async () => (await state('busy')) === 'INDEX_STATE_DONE', 900_000);
  const after = await measure(() => true);
  const idleP99 = (idle.search.p99 + after.search.p99) / 2;
  print('idle', idle);
  print('while embedding', busy);
  print('idle again', after);
  process.stdout.write(`search p99 during/idle: ${(busy.search.p99 / idleP99).toFixed(2)}x (target < 1.5x)\n`);
  process.stdout.write(`max /healthz while embedding: ${busy.healthz.max.toFixed(1)} ms (target < 50 ms)\n`);

  await rpc('IndexService/AddRepo', { repo: 'stop', source: { path: join(sources, 'stop') } });
  await embedding('stop');
  const signalled = performance.now();
  server.kill('SIGTERM');
  process.stdout.write(
    `SIGTERM to exit while embedding: ${((await exited) - signalled).toFixed(0)} ms (target < 2000 ms)\n`,
  );
} finally {
  server.kill('SIGKILL');
  agent.destroy();
  rmSync(work, { recursive: true, force: true });
}

interface Phase {
  readonly healthz: LatencySummary;
  readonly search: LatencySummary;
  readonly during: number;
  /** Searches answered with an error (a server that cannot search in time answers deadline_exceeded). */
  readonly failed: number;
}

/** Alternates /healthz and Search, `calls` of each, counting how many were made while `active()` held. */
async function measure(active: () => boolean | Promise<boolean>): Promise<Phase> {
  const healthz: number[] = [];
  const search: number[] = [];
  let during = 0;
  let failed = 0;
  const ends = performance.now() + WINDOW_MS;
  for (let i = 0; i < calls && performance.now() < ends; i += 1) {
    if (!(await active())) break;
    during += 1;
    healthz.push((await call('GET', '/healthz', null, 30_000)).ms);
    const body = JSON.stringify({ query: args.query, topK: 5, repos: ['idle'] });
    const answer = await call('POST', '/conexus.v1.ContextService/Search', body, 30_000);
    search.push(answer.ms);
    if (answer.status !== 200) failed += 1;
  }
  return { healthz: summarizeLatency(healthz), search: summarizeLatency(search), during, failed };
}

function print(name: string, phase: Phase): void {
  const show = (s: LatencySummary): string =>
    `p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(1)} ms (${s.calls})`;
  process.stdout.write(
    `${name}: /healthz ${show(phase.healthz)}; Search ${show(phase.search)}, ${phase.failed} failed\n`,
  );
}

/**
 * Waits until a repository's vectors are being computed: after its lexical commit, or (a server that embeds inline,
 * with no EMBEDDING state) once its indexing has run for 5 s, past its lexical part.
 */
async function embedding(repo: string): Promise<void> {
  let indexingSince = Infinity;
  await until(async () => {
    const now = await state(repo);
    if (now === 'INDEX_STATE_INDEXING') indexingSince = Math.min(indexingSince, performance.now());
    return now === 'INDEX_STATE_EMBEDDING' || performance.now() - indexingSince > 5_000;
  }, 60_000);
}

/** The repository's index state; 'unanswered' when a frozen server does not answer within 30 s. */
async function state(repo: string): Promise<string> {
  const reply = await call('POST', '/conexus.v1.IndexService/GetIndexStatus', JSON.stringify({ repo }), 30_000);
  if (reply.status !== 200) return 'unanswered';
  const body = reply.body;
  return (JSON.parse(body) as { event?: { state?: string } }).event?.state ?? 'none';
}

async function rpc(method: string, body: unknown): Promise<{ ms: number; body: string }> {
  const reply = await call('POST', `/conexus.v1.${method}`, JSON.stringify(body), 30_000);
  if (reply.status !== 200) throw new Error(`${method}: HTTP ${reply.status} ${reply.body}`);
  return reply;
}

/** One request on the keep-alive connection; a request that times out counts as its timeout. */
function call(
  method: string,
  path: string,
  body: string | null,
  timeoutMs: number,
): Promise<{ status: number; ms: number; body: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const headers = body === null ? {} : { 'content-type': 'application/json' };
    const req = request({ host: '127.0.0.1', port, path, method, agent, headers, timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (part: string) => (text += part));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, body: text }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started, body: '' }));
    req.end(body ?? undefined);
  });
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error('timed out waiting for the server');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => resolve(free));
    });
  });
}
