import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { parse as parseYaml } from 'yaml';
import { eventually, freePort, ROOT, startProcess } from '@conexus/testkit';
import { gitRepo } from './support/source-repos.js';

interface StdioEntry {
  command: string;
  args: string[];
}

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const snippets = new Map(
  [...readme.matchAll(/<!-- config: ([\w-]+) -->\n```(json|yaml)\n([\s\S]*?)\n```/g)].map((match) => [
    match[1]!,
    match[3]!,
  ]),
);
const scratch = mkdtempSync(join(tmpdir(), 'conexus-configs-'));
const project = join(scratch, 'ledger-app');

beforeAll(() => {
  gitRepo(
    project,
    {
      'ledger.py':
        'def post_entry(ledger, amount):\n    """Post one entry to the ledger."""\n    ledger.append(amount)\n',
    },
    'c',
  );
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The snippet's server, with the placeholders a user would fill in filled in. */
function stdioEntry(name: string): StdioEntry {
  const text = snippets.get(name);
  if (!text) throw new Error(`README has no ${name} snippet`);
  const parsed = (name === 'continue' ? parseYaml(text) : JSON.parse(text)) as Record<string, unknown>;
  const entry = (
    name === 'continue'
      ? (parsed.mcpServers as (StdioEntry & { name: string })[]).find((server) => server.name === 'conexus')
      : ((parsed.mcpServers ?? parsed.servers) as Record<string, StdioEntry>).conexus
  ) as StdioEntry;
  const fill = (arg: string): string => arg.replace('/path/to/conexus', ROOT).replace('${workspaceFolder}', project);
  return { command: entry.command, args: entry.args.map(fill) };
}

describe.each(['claude-code', 'cursor', 'vscode', 'continue'])('the README configuration for %s', (name) => {
  it('starts a working MCP server', async () => {
    const entry = stdioEntry(name);
    expect(entry.command).toBe('node');
    const client = new Client({ name: `${name}-check`, version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: entry.command,
        args: entry.args,
        cwd: project,
        env: { ...process.env, CONEXUS_DATA_DIR: join(scratch, `data-${name}`), CONEXUS_EMBEDDER: 'none' },
        stderr: 'ignore',
      }),
    );
    try {
      await eventually(
        async () => {
          const status = await client.callTool({ name: 'index_status', arguments: { repo: basename(project) } });
          return (status.structuredContent as { state: string }).state === 'done' ? true : undefined;
        },
        60_000,
        `${name}: the project to be indexed`,
      );
      const found = await client.callTool({ name: 'search_code', arguments: { query: 'post an entry to the ledger' } });
      expect((found.structuredContent as { results: { path: string }[] }).results[0]?.path).toBe('ledger.py');
    } finally {
      await client.close();
    }
  }, 90_000);
});

it("the README's Continue @http context provider answers from conexus serve", async () => {
  const config = parseYaml(snippets.get('continue')!) as { context: { provider: string; params: { url: string } }[] };
  const http = config.context.find((provider) => provider.provider === 'http')!;
  const port = await freePort();
  const server = startProcess('serve', 'packages/cli/dist/main.js', { CONEXUS_EMBEDDER: 'none' }, [
    'serve',
    '--port',
    String(port),
    '--data-dir',
    join(scratch, 'data-serve'),
    '--index',
    project,
  ]);
  try {
    const url = http.params.url.replace(':7420', `:${port}`);
    const items = await eventually(
      async () => {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '', fullInput: 'post an entry to the ledger' }),
        });
        const body = (await response.json()) as { name: string; content: string }[];
        return Array.isArray(body) && body.length > 0 ? body : undefined;
      },
      60_000,
      'context items',
    );
    expect(items[0]?.name).toMatch(/^ledger\.py:\d+-\d+$/);
    expect(items[0]?.content).toContain('def post_entry');
  } finally {
    await server.kill();
  }
}, 90_000);
