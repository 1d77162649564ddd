import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createChunker, type Chunker } from '@conexus/chunking';
import type { Embedder } from '@conexus/embedding';
import { ConexusError } from '@conexus/kernel';
import { openSqliteStore } from '@conexus/store-sqlite';
import { createEngine } from './create-engine.js';

const scratch = mkdtempSync(join(tmpdir(), 'conexus-engine-'));
let chunker: Chunker;
beforeAll(async () => {
  chunker = await createChunker();
});
afterAll(() => rmSync(scratch, { recursive: true, force: true, maxRetries: 5 }));

let counter = 0;
function gitRepo(files: Record<string, string>): string {
  const root = join(scratch, `repo-${(counter += 1)}`);
  writeFiles(root, files);
  execFileSync('git', ['init', '-q'], { cwd: root });
  commitAll(root);
  return root;
}

function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

function commitAll(root: string): void {
  execFileSync('git', ['add', '-A'], { cwd: root });
  execFileSync(
    'git',
    ['-c', 'user.email=t@t', '-c', 'user.name=t', '-c', 'gc.auto=0', 'commit', '-qm', 'c', '--allow-empty'],
    { cwd: root },
  );
}

const SHOP = {
  'shop/cart.py': [
    'class Cart:',
    '    """A shopping cart holding line items."""',
    '',
    '    def add_item(self, sku, quantity=1):',
    '        self.items[sku] = self.items.get(sku, 0) + quantity',
    '',
    '    def total_price(self, catalog):',
    '        return sum(catalog.price(sku) * n for sku, n in self.items.items())',
    '',
  ].join('\n'),
  'shop/payment.go': [
    'package shop',
    '',
    'type Gateway struct{ key string }',
    '',
    '// Charge sends a card payment to the acquiring bank.',
    'func (g *Gateway) Charge(amountCents int64, cardToken string) error {',
    '\treturn g.post("/charges", amountCents, cardToken)',
    '}',
    '',
  ].join('\n'),
  'web/routes.ts': [
    'export class Router {',
    '  register(path: string, handler: () => void): void {',
    '    this.routes.set(path, handler);',
    '  }',
    '}',
    '',
  ].join('\n'),
  'tests/test_cart.py':
    'from shop.cart import Cart\n\ndef test_total_price():\n    assert Cart().total_price({}) == 0\n',
  'README.md': '# Shop\n\nA tiny shop used in tests.\n',
};

describe('engine over a real git repository', () => {
  it('indexes, then finds symbols, chunks and files for a question', async () => {
    const root = gitRepo(SHOP);
    const engine = createEngine({ dataDir: join(scratch, 'data-1'), chunker });
    const summary = await engine.index(root, 'shop');
    expect(summary).toMatchObject({ repo: 'shop', filesIndexed: 5, filesUnchanged: 0 });
    expect(summary.commit).toMatch(/^[0-9a-f]{40}$/);

    const symbols = await engine.search({ query: 'how is the total price of a cart computed', unit: 'symbol', top: 3 });
    expect(symbols.results[0]).toMatchObject({
      repo: 'shop',
      path: 'shop/cart.py',
      symbol: 'Cart.total_price',
      kind: 'method',
      startLine: 7,
      endLine: 8,
    });

    const charge = await engine.search({ query: 'Gateway.Charge card payment', unit: 'chunk', top: 1 });
    expect(charge.results[0]).toMatchObject({ path: 'shop/payment.go', symbol: 'Gateway.Charge' });
    expect(charge.results[0]!.text).toContain('func (g *Gateway) Charge');

    const files = await engine.search({ query: 'register a route handler', unit: 'file', top: 2 });
    expect(files.results[0]).toMatchObject({ path: 'web/routes.ts', kind: 'file' });
    await engine.close();
  });

  it('ranks source above tests unless the question asks for tests', async () => {
    const root = gitRepo(SHOP);
    const engine = createEngine({ dataDir: join(scratch, 'data-2'), chunker });
    await engine.index(root, 'shop');
    const plain = await engine.search({ query: 'cart total_price', unit: 'file', top: 2 });
    expect(plain.results[0]!.path).toBe('shop/cart.py');
    const tests = await engine.search({ query: 'failing test for total_price', unit: 'file', top: 2 });
    expect(tests.results.map((result) => result.path)).toContain('tests/test_cart.py');
    await engine.close();
  });

  it('re-indexes only added, changed and deleted files', async () => {
    const root = gitRepo(SHOP);
    const engine = createEngine({ dataDir: join(scratch, 'data-3'), chunker });
    await engine.index(root, 'shop');
    writeFiles(root, {
      'shop/cart.py': `${SHOP['shop/cart.py']}\n    def apply_coupon(self, code):\n        return code\n`,
      'shop/tax.py': 'def vat_rate(country):\n    return 0.2\n',
    });
    unlinkSync(join(root, 'web/routes.ts'));
    commitAll(root);
    const again = await engine.index(root, 'shop');
    expect(again).toMatchObject({ filesIndexed: 2, filesDeleted: 1, filesUnchanged: 3 });
    const coupon = await engine.search({ query: 'apply_coupon', unit: 'symbol', top: 1 });
    expect(coupon.results[0]).toMatchObject({ symbol: 'Cart.apply_coupon' });
    const router = await engine.search({ query: 'Router register handler', unit: 'file' });
    expect(router.results.map((result) => result.path)).not.toContain('web/routes.ts');
    const unchanged = await engine.index(root, 'shop');
    expect(unchanged).toMatchObject({ filesIndexed: 0, filesDeleted: 0, chunksWritten: 0 });
    await engine.close();
  });

  it('indexes a file the parser fails on as line windows instead of failing the run', async () => {
    const root = gitRepo({ ...SHOP, 'zzz/boom.py': 'def boom():\n    return "kaboom"\n' });
    const failing: Chunker = {
      languageOf: (path) => chunker.languageOf(path),
      chunk(path, text) {
        if (path === 'zzz/boom.py') throw new Error('parser on fire');
        return chunker.chunk(path, text);
      },
    };
    const engine = createEngine({ dataDir: join(scratch, 'data-4'), chunker: failing });
    const summary = await engine.index(root, 'shop');
    expect(summary.filesIndexed).toBe(6);
    const found = await engine.search({ query: 'kaboom', unit: 'chunk', top: 1 });
    expect(found.results[0]).toMatchObject({ path: 'zzz/boom.py', kind: 'text', symbol: null });
    await engine.close();
  });

  it('forgets a removed repository completely, even when a new one takes its place', async () => {
    const engine = createEngine({ dataDir: join(scratch, 'data-4b'), chunker });
    await engine.index(gitRepo({ 'old/legacy.py': 'def legacy_report():\n    pass\n' }), 'first');
    expect((await engine.search({ query: 'legacy_report', unit: 'file' })).results[0]!.path).toBe('old/legacy.py');
    engine.remove('first');
    await engine.index(gitRepo(SHOP), 'second');
    const files = await engine.search({ query: 'legacy_report cart payment', unit: 'file' });
    expect(files.results.map((result) => result.path)).not.toContain('old/legacy.py');
    expect(files.results.every((result) => result.repo === 'second')).toBe(true);
    await engine.close();
  });

  it('keeps many repositories in one data directory, searched together or by name', async () => {
    const dataDir = join(scratch, 'data-5');
    const engine = createEngine({ dataDir, chunker });
    await engine.index(gitRepo(SHOP), 'shop');
    await engine.index(
      gitRepo({ 'billing/invoice.py': 'def render_invoice(order):\n    return "invoice"\n' }),
      'billing',
    );
    expect(engine.repos().map((repo) => repo.name)).toEqual(['billing', 'shop']);
    const both = await engine.search({ query: 'render_invoice total_price', unit: 'symbol' });
    expect(new Set(both.results.map((result) => result.repo))).toEqual(new Set(['billing', 'shop']));
    const one = await engine.search({ query: 'render_invoice total_price', repos: ['billing'], unit: 'symbol' });
    expect(new Set(one.results.map((result) => result.repo))).toEqual(new Set(['billing']));
    await expect(engine.search({ query: 'x', repos: ['nope'] })).rejects.toThrow(ConexusError);
    expect(engine.remove('billing')).toBe(true);
    expect(engine.repos().map((repo) => repo.name)).toEqual(['shop']);
    await engine.close();
  });

  it('gives the same chunk ids when the same content is indexed twice', async () => {
    const first = createEngine({ dataDir: join(scratch, 'data-6a'), chunker });
    const second = createEngine({ dataDir: join(scratch, 'data-6b'), chunker });
    await first.index(gitRepo(SHOP), 'shop');
    await second.index(gitRepo(SHOP), 'shop');
    const query = { query: 'cart payment router', unit: 'chunk' as const, top: 20 };
    const ids = async (engine: typeof first) =>
      (await engine.search(query)).results.map((r) => `${r.path}:${r.startLine}`).sort();
    expect(await ids(first)).toEqual(await ids(second));
    await first.close();
    await second.close();
  });
});

describe('engine and secrets', () => {
  // Built at run time so that no secret-looking literal is committed.
  const keyBody = Array.from({ length: 5 }, (_, line) =>
    'Qm9keU9mQUZha2VLZXlGb3JUZXN0c09ubHkxMjM0NTY3ODkwYWJjZGVm'.repeat(2).slice(line * 3, line * 3 + 64),
  );
  const key = ['-----BEGIN OPENSSH ' + 'PRIVATE KEY-----', ...keyBody, '-----END OPENSSH ' + 'PRIVATE KEY-----'].join(
    '\n',
  );
  const token = 'gh' + 'p_' + 'Zq8Rt2Lm5Vx9Nc3Bw7Hy1Kd4Fs6Gj0Pa8Ue2';
  const files = {
    'deploy/credentials.py': `DEPLOY_KEY = """\n${key}\n"""\n\ndef github_client():\n    return Github(login_or_token="${token}")\n`,
    ...SHOP,
  };

  it('never stores, embeds or returns a secret, and reports what it redacted where', async () => {
    const root = gitRepo(files);
    const dataDir = join(scratch, 'data-secrets');
    const embedded: string[] = [];
    // A fake embedder that keeps what it is given, so the test sees exactly what would reach a model.
    const embedder: Embedder = {
      id: 'recording',
      embedDocuments: async (texts) => texts.map((text) => (embedded.push(text), Float32Array.of(1, 0, 0))),
      embedQuery: async () => Float32Array.of(1, 0, 0),
      close: async () => undefined,
    };
    const engine = createEngine({ dataDir, chunker, embedder });
    const summary = await engine.index(root, 'shop');
    await summary.dense;
    expect(summary.redactions).toEqual([
      { path: 'deploy/credentials.py', line: 2, rule: 'private-key' },
      { path: 'deploy/credentials.py', line: 12, rule: 'github-pat' },
    ]);

    const client = await engine.search({ query: 'github_client login token', unit: 'chunk', top: 5 });
    const hit = client.results.find((result) => result.path === 'deploy/credentials.py');
    expect(hit?.text).toContain('[REDACTED:github-pat]');
    for (const query of [token, keyBody[2]!, 'DEPLOY_KEY private key']) {
      for (const result of (await engine.search({ query, unit: 'chunk', top: 20 })).results) {
        expect(result.text).not.toContain(token);
        expect(result.text).not.toContain(keyBody[2]);
      }
    }
    expect(embedded.join('\n')).toContain('[REDACTED:github-pat]');
    for (const secret of [token, ...keyBody]) expect(embedded.join('\n')).not.toContain(secret);
    const reader = openSqliteStore(dataDir, { readonly: true });
    const stored = reader.chunksOfFile(reader.findRepo('shop')!.id, 'deploy/credentials.py');
    reader.close();
    const text = stored.map((chunk) => chunk.text).join('\n');
    expect(text).toContain('[REDACTED:private-key]');
    for (const secret of [token, ...keyBody]) expect(text).not.toContain(secret);
    expect(stored.at(-1)?.endLine).toBe(files['deploy/credentials.py'].split('\n').length - 1);

    expect((await engine.index(root, 'shop')).redactions).toHaveLength(2);
    unlinkSync(join(root, 'deploy/credentials.py'));
    commitAll(root);
    expect((await engine.index(root, 'shop')).redactions).toEqual([]);
    await engine.close();
  });
});

describe('engine and secrets in file paths', () => {
  // Built at run time so that no secret-looking literal is committed.
  const pat = 'gh' + 'p_' + 'Wq7Zt3Lm5Vx9Nc3Bw7Hy1Kd4Fs6Gj0Pa8Ue2';
  const awsKeyId = 'AK' + 'IA' + 'QX7Z3LM5VX2NC3BW';
  const files = {
    [`config/${pat}.txt`]: 'rotation schedule for the deploy credentials\n',
    [`keys/${awsKeyId}/upload.py`]: 'def upload_backup(bucket):\n    return bucket.put("backup")\n',
    [`node_modules/${pat}/index.js`]: 'module.exports = 1;\n',
    ...SHOP,
  };

  it('skips a file whose path holds a secret, so no answer and no stored record ever holds the secret', async () => {
    const root = gitRepo(files);
    const dataDir = join(scratch, 'data-secret-paths');
    const engine = createEngine({ dataDir, chunker });
    const summary = await engine.index(root, 'shop');
    expect(summary.skipped).toMatchObject({ secret_in_path: 3 });
    expect(summary.filesIndexed).toBe(Object.keys(SHOP).length);

    const answers: unknown[] = [summary, engine.repos(), engine.repoRows()];
    for (const query of [
      pat,
      awsKeyId,
      'rotation schedule deploy credentials',
      'upload_backup bucket',
      'config keys txt',
    ]) {
      for (const unit of ['chunk', 'symbol', 'file'] as const)
        answers.push(await engine.search({ query, unit, top: 50 }));
    }
    answers.push(engine.findSymbols({ name: 'upload*' }), engine.findSymbols({ name: '*' }));
    const served = JSON.stringify(answers);
    expect(served).toContain('shop/cart.py');
    for (const secret of [pat, awsKeyId]) expect(served).not.toContain(secret);
    for (const path of Object.keys(files).filter((name) => !(name in SHOP)))
      expect(engine.hasFile('shop', path)).toBe(false);
    await engine.close();

    // why: the skip is recorded under the masked path, so not even the data directory holds the secret.
    for (const name of readdirSync(dataDir)) {
      const bytes = readFileSync(join(dataDir, name));
      for (const secret of [pat, awsKeyId]) expect(bytes.includes(secret)).toBe(false);
    }
  });
});

describe('searching within a scope', () => {
  it('finds what a caller may read even when the rest of the repository outranks it many times over', async () => {
    const files: Record<string, string> = { 'allowed/one.py': 'def settle():\n    return "ledger"\n' };
    for (let i = 0; i < 400; i++)
      files[`denied/mod_${i}.py`] = `def ledger_${i}():\n    return "ledger ledger ledger ledger"\n`;
    const engine = createEngine({ dataDir: join(scratch, 'data-scope'), chunker });
    await engine.index(gitRepo(files), 'books');
    const scope = {
      everything: false,
      repos: [{ repo: 'books', allowPaths: ['allowed/**'], denyPaths: [] }],
      denies: [],
    };
    const everything = await engine.search({ query: 'ledger', top: 5 });
    expect(everything.results.every((result) => result.path.startsWith('denied/'))).toBe(true);
    const scoped = await engine.search({ query: 'ledger', top: 5, scope });
    expect(scoped.results.map((result) => result.path)).toEqual(['allowed/one.py']);
    const prefixed = await engine.search({ query: 'ledger', top: 5, pathPrefixes: ['allowed/'] });
    expect(prefixed.results.map((result) => result.path)).toEqual(['allowed/one.py']);
    await engine.close();
  });
});
