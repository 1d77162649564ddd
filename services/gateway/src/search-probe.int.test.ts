import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { freePort, ROOT, startCluster, useNatsServer, type Cluster } from '@conexus/testkit';

// why: drives the built probe (`npx tsc -b services/gateway` first) against real services, as `helm test` runs it.
const scratch = mkdtempSync(join(tmpdir(), 'conexus-search-probe-'));
const sources = join(scratch, 'sources');
let cluster: Cluster | undefined;
// why: afterAll hooks run in the order declared: the cluster stops before useNatsServer's hook stops the server.
afterAll(async () => {
  await cluster?.stop();
  rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
});
const nats = useNatsServer();
beforeAll(async () => {
  mkdirSync(join(sources, 'widgets'), { recursive: true });
  writeFileSync(
    join(sources, 'widgets', 'widget-config.ts'),
    'export function parseWidgetConfig(text: string) {\n  return JSON.parse(text) as { widgets: string[] };\n}\n',
  );
  cluster = await startCluster(nats.url, scratch, { sourceRoots: [sources] });
  await cluster.add('widgets', { path: join(sources, 'widgets') });
}, 180_000);

function probe(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      [join(ROOT, 'services/gateway/dist/search-probe.js'), ...args],
      { env: { ...process.env, CONEXUS_TOKEN: '' }, encoding: 'utf8', timeout: 60_000 },
      (_error, stdout, stderr) => done({ code: child.exitCode, stdout, stderr }),
    );
  });
}

it('exits 0 with a one-line summary when the search finds something', async () => {
  const result = await probe(['--url', cluster!.url, '--query', 'parseWidgetConfig', '--repo', 'widgets']);
  expect(result).toMatchObject({ code: 0, stderr: '' });
  expect(result.stdout).toMatch(
    /^search-probe ok: \d+ hit\(s\) for "parseWidgetConfig" in \d+ ms; top widgets:widget-config\.ts:1\n$/,
  );
});

it('exits 1 with the reason when the search finds nothing, fails, or is not asked properly', async () => {
  const none = await probe(['--url', cluster!.url, '--query', 'parseWidgetConfig', '--repo', 'no-such-repo']);
  expect(none.code).toBe(1);
  expect(none.stderr).toMatch(/^search-probe failed: /);
  const down = await probe(['--url', `http://127.0.0.1:${await freePort()}`, '--query', 'x']);
  expect(down).toMatchObject({ code: 1, stdout: '' });
  expect(down.stderr).toMatch(/^search-probe failed: Unavailable: /);
  const usage = await probe(['--url', cluster!.url]);
  expect(usage).toMatchObject({ code: 1, stderr: expect.stringMatching(/usage: search-probe --url URL --query TEXT/) });
});
