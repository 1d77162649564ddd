import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, freePort, ROOT } from '@conexus/testkit';
import { gitRepo } from '../support/source-repos.js';
import { exchange } from './exchange.js';

/** The repository the fuzzed server has indexed; no fuzzed request may remove it. */
export const KNOWN_REPO = 'fuzzshop';
/** A query the known repository answers, and the file that answers it. */
export const KNOWN_QUERY = { query: 'cart total with tax', path: 'shop/cart.py' } as const;

const FILES = {
  'shop/cart.py':
    'class Cart:\n    def total(self, items):\n        """Sum of item prices with tax."""\n        return sum(item.price for item in items) * 1.2\n',
  'shop/shipping.go':
    'package shop\n\n// ShippingCost returns the cost to ship a parcel by weight.\nfunc ShippingCost(weightKg float64) float64 {\n\treturn 4.5 + weightKg*1.1\n}\n',
  'README.md': '# Shop\n\nA tiny shop with a cart and shipping.\n',
};

/** A running `conexus serve` with the known repository indexed. */
export interface FuzzTarget {
  readonly url: string;
  readonly port: number;
  /** The server's own output (JSON logs), for failure reports. */
  output(): string;
  /** The process has ended (crashed, unless stopped). */
  exited(): boolean;
  /** Null while /healthz answers 200 and a known search finds the known file; otherwise what is wrong. */
  sick(): Promise<string | null>;
  stop(): Promise<void>;
}

/**
 * Starts the embedded server (`conexus serve`, built) as its own process on loopback, in a new folder under
 * `scratch`, and waits until the known repository is searchable. Its working directory is an empty folder, so
 * that AddRepo may read nothing but that folder and the known repository.
 */
export async function startFuzzTarget(scratch: string): Promise<FuzzTarget> {
  const home = mkdtempSync(join(scratch, 'run-'));
  const source = gitRepo(join(home, KNOWN_REPO), FILES, 'shop');
  const cwd = join(home, 'empty');
  mkdirSync(cwd);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    join(ROOT, 'packages/cli/dist/main.js'),
    'serve',
    '--port',
    String(port),
    '--data-dir',
    join(home, 'data'),
    '--index',
    source,
  ];
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, CONEXUS_EMBEDDER: 'none', CONEXUS_LOG: 'json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer): void => {
    log = (log + chunk.toString()).slice(-200_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  const sick = async (): Promise<string | null> => {
    if (exited())
      return `the server exited (${child.exitCode ?? child.signalCode}); its last output:\n${log.split('\n').slice(-12).join('\n')}`;
    const health = await exchange(url, { method: 'GET', path: '/healthz' }, 10_000);
    if (health.kind !== 'answered' || health.status !== 200)
      return `/healthz: ${JSON.stringify({ ...health, body: undefined })}`;
    const search = await exchange(
      url,
      {
        method: 'POST',
        path: '/conexus.v1.ContextService/Search',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: KNOWN_QUERY.query, repos: [KNOWN_REPO] }),
      },
      10_000,
    );
    if (search.kind !== 'answered') return `known search: ${search.kind}`;
    const text = search.body.toString('utf8');
    return search.status === 200 && text.includes(KNOWN_QUERY.path)
      ? null
      : `known search: HTTP ${search.status} ${text.slice(0, 300)}`;
  };
  const stop = async (): Promise<void> => {
    if (exited()) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await gone;
  };
  try {
    await eventually(
      async () => ((await sick()) === null ? true : undefined),
      60_000,
      'the known repository to be searchable',
    );
  } catch (error) {
    await stop();
    throw new Error(`${String(error)}\n${log.slice(-5_000)}`);
  }
  return { url, port, output: () => log, exited, sick, stop };
}
