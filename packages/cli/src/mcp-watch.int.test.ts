import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'main.js');
const scratch = mkdtempSync(join(tmpdir(), 'conexus-mcp-watch-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true, maxRetries: 5 }));

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd, encoding: 'utf8' });

function makeRepo(name: string, files: Record<string, string>): string {
  const root = join(scratch, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'first');
  return root;
}

/** `conexus mcp --index DIR` as a child process over stdio, with its stderr (where it reports indexing) kept. */
interface Mcp {
  readonly client: Client;
  /** How many times stderr said the repository was indexed. */
  indexed(repo: string): number;
}

const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

async function startMcp(project: string, dataDir: string): Promise<Mcp> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin, 'mcp', '--index', project, '--data-dir', dataDir, '--embedder', 'none'],
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (data: Buffer) => (stderr += data.toString('utf8')));
  const client = new Client({ name: 'conexus-watch-test', version: '1.0.0' });
  await client.connect(transport);
  clients.push(client);
  return {
    client,
    indexed: (repo) => stderr.split('\n').filter((line) => line.startsWith(`conexus: indexed ${repo} `)).length,
  };
}

async function until<T>(what: string, limitMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + limitMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (performance.now() > deadline) throw new Error(`${what} did not happen within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const indexedOnce = (mcp: Mcp, repo: string) =>
  until(`${repo} indexed`, 60_000, async () => (mcp.indexed(repo) >= 1 ? true : undefined));

const symbolsOf = async (client: Client, name: string): Promise<{ path: string; symbol: string }[]> =>
  (
    (await client.callTool({ name: 'find_symbol', arguments: { name } })).structuredContent as {
      symbols: { path: string; symbol: string }[];
    }
  ).symbols;

const textOf = (result: { content: unknown }): string => (result.content as { text: string }[])[0]!.text;

describe('conexus mcp watching its folder', () => {
  it('finds a symbol saved under the folder within 2 s of the save', async () => {
    const project = makeRepo('orders', { 'orders/cart.py': 'def cart_total(items):\n    return sum(items)\n' });
    const mcp = await startMcp(project, join(scratch, 'data-fresh'));
    await indexedOnce(mcp, 'orders');
    expect(await symbolsOf(mcp.client, 'reconcile_quarterly_refunds')).toEqual([]);

    writeFileSync(
      join(project, 'orders', 'refunds.py'),
      'def reconcile_quarterly_refunds(ledger):\n    """Match refunds to the quarter they belong to."""\n    return ledger\n',
    );
    const saved = performance.now();
    const found = await until('the new symbol found', 10_000, async () => {
      const symbols = await symbolsOf(mcp.client, 'reconcile_quarterly_refunds');
      return symbols.length > 0 ? symbols : undefined;
    });
    const elapsedMs = performance.now() - saved;
    expect(found[0]).toMatchObject({ path: 'orders/refunds.py', symbol: 'reconcile_quarterly_refunds' });
    expect(elapsedMs).toBeLessThan(2000);
    const search = await mcp.client.callTool({
      name: 'search_code',
      arguments: { query: 'match refunds to the quarter', top_k: 1 },
    });
    expect(textOf(search)).toMatch(/^orders\/refunds\.py:1-3 /);
  }, 90_000);

  it('re-indexes a branch switch touching many files once', async () => {
    const project = makeRepo('warehouse', { 'stock/level.py': 'def stock_level(sku):\n    return 0\n' });
    git(project, 'checkout', '-qb', 'feature');
    for (let i = 0; i < 120; i++) {
      writeFileSync(join(project, 'stock', `bin_${i}.py`), `def bin_capacity_${i}(size):\n    return size * ${i}\n`);
    }
    git(project, 'add', '-A');
    git(project, 'commit', '-qm', 'bins');
    git(project, 'checkout', '-q', 'main');
    const mcp = await startMcp(project, join(scratch, 'data-branch'));
    await indexedOnce(mcp, 'warehouse');
    // why: a run that started before the folder settled would be followed by one more; give it time to show.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const before = mcp.indexed('warehouse');

    git(project, 'checkout', '-q', 'feature');
    await until('the branch indexed', 10_000, async () =>
      (await symbolsOf(mcp.client, 'bin_capacity_119')).length > 0 ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(mcp.indexed('warehouse') - before).toBe(1);
    expect(await symbolsOf(mcp.client, 'bin_capacity_*')).toHaveLength(20);
  }, 90_000);
});

describe('conexus mcp scoped to its project in a shared data directory', () => {
  it('says the project is being indexed, and never answers with the other project', async () => {
    const dataDir = join(scratch, 'data-shared');
    const ledger = makeRepo('ledger', {
      'ledger/book.py': 'def post_journal_entry(book, entry):\n    """Post a journal entry to the book."""\n',
    });
    execFileSync(process.execPath, [bin, 'index', ledger, '--data-dir', dataDir, '--embedder', 'none'], {
      stdio: 'ignore',
    });
    // why: big enough that its first index is still running when the first question comes.
    const files: Record<string, string> = {};
    for (let i = 0; i < 1500; i++)
      files[`atlas/region_${i}.py`] = `def region_area_${i}(width):\n    return width * ${i}\n`;
    const atlas = makeRepo('atlas', files);
    const mcp = await startMcp(atlas, dataDir);

    const early = await mcp.client.callTool({ name: 'search_code', arguments: { query: 'post a journal entry' } });
    expect(textOf(early)).toMatch(/^\(indexing .*atlas(, \d+ %)?: results may be incomplete\)\n\n/);
    expect(textOf(early)).not.toContain('ledger');
    expect(early.structuredContent).toMatchObject({ partial: true, results: [] });

    await indexedOnce(mcp, 'atlas');
    const scoped = await mcp.client.callTool({ name: 'search_code', arguments: { query: 'post a journal entry' } });
    expect((scoped.structuredContent as { results: { repo: string }[] }).results.map((hit) => hit.repo)).not.toContain(
      'ledger',
    );
    expect(scoped.structuredContent).not.toHaveProperty('notice');
    const named = await mcp.client.callTool({
      name: 'search_code',
      arguments: { query: 'post a journal entry', repos: ['ledger'], top_k: 1 },
    });
    expect(textOf(named)).toMatch(/^ledger\/ledger\/book\.py:1-2 /);
    const repos = await mcp.client.callTool({ name: 'list_repos', arguments: {} });
    expect((repos.structuredContent as { repos: { name: string }[] }).repos.map((repo) => repo.name).sort()).toEqual([
      'atlas',
      'ledger',
    ]);
    const status = await mcp.client.callTool({ name: 'index_status', arguments: {} });
    expect(status.structuredContent).toMatchObject({ repo: 'atlas', state: 'done' });
  }, 120_000);
});
