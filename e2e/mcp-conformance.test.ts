import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { eventually, freePort, ROOT, startProcess, type ServiceProcess } from '@conexus/testkit';

const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'conexus-conformance-'));
// why: the scenarios that apply to a server of read-only tools; the others need sampling, prompts,
// resources or demo tools that the official "everything" server has and Conexus does not.
const SCENARIOS = ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection'];
let server: ServiceProcess;
let url: string;

beforeAll(async () => {
  const port = await freePort();
  server = startProcess('embedded', 'packages/cli/dist/main.js', { CONEXUS_EMBEDDER: 'none' }, [
    'serve',
    '--port',
    String(port),
    '--data-dir',
    join(scratch, 'data'),
    '--index',
    join(ROOT, 'packages', 'sharding'),
  ]);
  url = `http://127.0.0.1:${port}`;
  await eventually(
    async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined),
    60_000,
    'the embedded server',
  );
}, 90_000);

afterAll(async () => {
  await server?.kill();
  rmSync(scratch, { recursive: true, force: true });
});

it.each(SCENARIOS)(
  'passes the official MCP conformance scenario %s',
  async (scenario) => {
    const { stdout } = await run(
      join(ROOT, 'node_modules', '.bin', 'conformance'),
      ['server', '--url', `${url}/mcp`, '--scenario', scenario],
      { timeout: 60_000 },
    );
    expect(stdout).toMatch(/Passed: (\d+)\/\1, 0 failed/);
  },
  90_000,
);
