import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, freePort, startProcess, type ServiceProcess } from '@conexus/testkit';
import { gitRepo, repoFromProjectFolder } from './support/source-repos.js';

const scratch = mkdtempSync(join(tmpdir(), 'conexus-deadlines-'));
const DEADLINE_MS = 300;
// why: generous for a loaded 2-core machine; answers used to come back seconds late.
const SLACK_MS = 1_000;
const CONCURRENT = 100;
const QUERIES = [
  'reconcile posting step ledger',
  'typed error with a code from the closed vocabulary',
  'quarterly ledger case amount',
  'shard owner rendezvous hashing',
];
let server: ServiceProcess;
let url: string;

/** One search sent with a deadline the client itself does not enforce, so only the server can keep it. */
async function search(body: Record<string, unknown>): Promise<{ ms: number; code: string }> {
  const started = Date.now();
  const response = await fetch(`${url}/conexus.v1.ContextService/Search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'connect-timeout-ms': String(DEADLINE_MS) },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { code?: string };
  return {
    ms: Date.now() - started,
    code: response.status === 200 ? 'ok' : (answer.code ?? `http ${response.status}`),
  };
}

/** Many long functions, each split into several chunks, so that budgeted searches expand symbols: real work per answer. */
function ledgerRepo(): string {
  const files: Record<string, string> = {};
  for (let file = 0; file < 1_000; file++) {
    const functions = [0, 1, 2].map((part) => {
      const steps = Array.from(
        { length: 80 },
        (_, step) =>
          `    ledger.post(step_${step}, amount * ${step} + ${file})  # reconcile posting step ${step} of case ${file}`,
      );
      return [
        `def reconcile_${file}_${part}(ledger, amount):`,
        `    """Reconciles case ${file} part ${part} of the quarterly ledger."""`,
        ...steps,
        '    return ledger',
        '',
      ].join('\n');
    });
    files[`src/module_${file}.py`] = functions.join('\n\n');
  }
  return gitRepo(join(scratch, 'sources', 'ledger'), files, 'long functions');
}

beforeAll(async () => {
  const ledger = ledgerRepo();
  const packages = repoFromProjectFolder(scratch, 'packages', 'packages');
  const port = await freePort();
  server = startProcess('embedded', 'packages/cli/dist/main.js', { CONEXUS_EMBEDDER: 'none' }, [
    'serve',
    '--port',
    String(port),
    '--data-dir',
    join(scratch, 'data'),
    '--index',
    ledger,
    '--index',
    packages,
  ]);
  url = `http://127.0.0.1:${port}`;
  await eventually(
    () => ((server.output().match(/^indexed /gm) ?? []).length === 2 ? true : undefined),
    240_000,
    `both repositories indexed: ${server.output()}`,
  );
}, 300_000);

afterAll(async () => {
  await server?.kill();
  rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
});

describe('searches under a short deadline on a loaded server', () => {
  it.each([
    ['named repositories', { repos: ['ledger', 'packages'] }],
    ['every repository', {}],
  ])(
    'answers %s within the deadline, failing only deadline_exceeded or resource_exhausted',
    async (_label, where) => {
      const answers = await Promise.all(
        Array.from({ length: CONCURRENT }, (_, i) =>
          search({ query: `${QUERIES[i % QUERIES.length]} ${i}`, topK: 50, maxTokens: 8_000, ...where }),
        ),
      );
      const codes: Record<string, number> = {};
      for (const answer of answers) codes[answer.code] = (codes[answer.code] ?? 0) + 1;
      const latest = Math.max(...answers.map((answer) => answer.ms));
      // why: printed for whoever tunes the slack; the assertions below are the contract.
      process.stdout.write(
        `${CONCURRENT} searches, ${DEADLINE_MS} ms deadline: ${JSON.stringify(codes)}, latest answer after ${latest} ms\n`,
      );
      expect(
        Object.keys(codes).filter((code) => !['ok', 'deadline_exceeded', 'resource_exhausted'].includes(code)),
      ).toEqual([]);
      expect(latest).toBeLessThan(DEADLINE_MS + SLACK_MS);
    },
    120_000,
  );

  it('still answers in full once the burst is over', async () => {
    const answer = await fetch(`${url}/conexus.v1.ContextService/Search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'connect-timeout-ms': '10000' },
      body: JSON.stringify({ query: 'reconcile posting step', topK: 5, repos: ['ledger'] }),
    });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { results: unknown[] }).results).toHaveLength(5);
  });
});
