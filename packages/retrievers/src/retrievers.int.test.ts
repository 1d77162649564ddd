import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { IndexState } from '@conexus/api';
import { connectGateway } from '@conexus/client';
import { eventually, freePort, startProcess, type ServiceProcess } from '@conexus/testkit';
import { ConexusLlamaIndexRetriever, ConexusRetriever } from './index.js';

const scratch = mkdtempSync(join(tmpdir(), 'conexus-retrievers-'));
let server: ServiceProcess;
let url: string;

beforeAll(async () => {
  const repo = join(scratch, 'shop');
  mkdirSync(join(repo, 'shop'), { recursive: true });
  writeFileSync(
    join(repo, 'shop', 'shipping.go'),
    'package shop\n\n// ShippingCost returns the cost to ship a parcel by weight.\nfunc ShippingCost(weightKg float64) float64 {\n\treturn 4.5 + weightKg*1.1\n}\n',
  );
  writeFileSync(
    join(repo, 'shop', 'cart.py'),
    'class Cart:\n    def total(self, items):\n        """Sum of item prices with tax."""\n        return sum(item.price for item in items) * 1.2\n',
  );
  execFileSync('git', ['init', '-q'], { cwd: repo });
  execFileSync('git', ['add', '-A'], { cwd: repo });
  execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'c'], { cwd: repo });
  const port = await freePort();
  server = startProcess('embedded', 'packages/cli/dist/main.js', { CONEXUS_EMBEDDER: 'none' }, [
    'serve',
    '--port',
    String(port),
    '--data-dir',
    join(scratch, 'data'),
    '--index',
    repo,
  ]);
  url = `http://127.0.0.1:${port}`;
  const gateway = connectGateway(url);
  await eventually(
    async () =>
      (await gateway.index.getIndexStatus({ repo: 'shop' })).event?.state === IndexState.DONE ? true : undefined,
    60_000,
    'shop to be indexed',
  );
}, 90_000);

afterAll(async () => {
  await server?.kill();
  rmSync(scratch, { recursive: true, force: true });
});

it('LangChain: invoke and batch return documents with code metadata', async () => {
  const retriever = new ConexusRetriever({ url, topK: 2 });
  const documents = await retriever.invoke('shipping cost of a parcel by weight');
  expect(documents[0]?.metadata).toMatchObject({ repo: 'shop', path: 'shop/shipping.go', symbol: 'ShippingCost' });
  expect(documents[0]?.metadata.commit).toMatch(/^[0-9a-f]{40}$/);
  expect(documents[0]?.pageContent).toContain('func ShippingCost');
  expect(documents[0]?.id).toBe(
    `shop/shop/shipping.go:${documents[0]!.metadata.start_line}-${documents[0]!.metadata.end_line}`,
  );
  const [cart, shipping] = await retriever.batch(['cart total with tax', 'ShippingCost']);
  expect(cart?.[0]?.metadata.path).toBe('shop/cart.py');
  expect(shipping?.[0]?.metadata.path).toBe('shop/shipping.go');
});

it('LlamaIndex: retrieve returns scored text nodes with code metadata', async () => {
  const retriever = new ConexusLlamaIndexRetriever({ url, topK: 2, unit: 'symbol' });
  const nodes = await retriever.retrieve({ query: 'cart total with tax' });
  expect(nodes[0]?.node.metadata).toMatchObject({ repo: 'shop', path: 'shop/cart.py', symbol: 'Cart.total' });
  expect(nodes[0]?.score).toBeGreaterThan(0);
});

it('fails loudly when the gateway is unreachable', async () => {
  const retriever = new ConexusRetriever({ url: 'http://127.0.0.1:1' });
  await expect(retriever.invoke('anything')).rejects.toThrow();
});
