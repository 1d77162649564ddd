import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { createVSCodeMock } from 'jest-mock-vscode';
import { eventually, freePort, startProcess, type ServiceProcess } from '@conexus/testkit';
import { listRepos } from './gateway-api.js';

// why: VS Code itself cannot run here; its API is a stub, and everything behind it (the gateway) is real.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the stub is patched with APIs it lacks
const vscode = createVSCodeMock(jest) as unknown as Record<string, any>;
vscode.lm = { registerMcpServerDefinitionProvider: jest.fn(() => ({ dispose() {} })) };
vscode.McpHttpServerDefinition = class {
  constructor(
    readonly label: string,
    readonly uri: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
};
jest.unstable_mockModule('vscode', () => ({ ...vscode, default: vscode }), { virtual: true });
const { activate } = await import('./extension.js');

const scratch = mkdtempSync(join(tmpdir(), 'conexus-vscode-'));
const repo = join(scratch, 'shop');
let server: ServiceProcess;
let url: string;
const subscriptions: { dispose(): unknown }[] = [];

beforeAll(async () => {
  mkdirSync(repo, { recursive: true });
  writeFileSync(
    join(repo, 'shipping.go'),
    'package shop\n\n// ShippingCost returns the cost to ship a parcel by weight.\nfunc ShippingCost(weightKg float64) float64 {\n\treturn 4.5 + weightKg*1.1\n}\n',
  );
  execFileSync('git', ['init', '-q'], { cwd: repo });
  execFileSync('git', ['add', '-A'], { cwd: repo });
  execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'c'], { cwd: repo });
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  server = startProcess('embedded', 'packages/cli/dist/main.js', { CONEXUS_EMBEDDER: 'none' }, [
    'serve',
    '--port',
    String(port),
    '--data-dir',
    join(scratch, 'data'),
    '--index',
    repo,
  ]);
  await eventually(
    async () => ((await listRepos({ url, token: '' })).length ? true : undefined),
    60_000,
    'the repository to be indexed',
  );

  jest
    .spyOn(vscode.workspace, 'getConfiguration')
    .mockReturnValue({ get: (key: string) => (key === 'serverUrl' ? url : '') });
  jest
    .spyOn(vscode.workspace as { readonly workspaceFolders: unknown }, 'workspaceFolders', 'get')
    .mockReturnValue([{ name: 'shop', uri: vscode.Uri.file(repo), index: 0 }] as never);
  activate({ subscriptions } as never);
}, 90_000);

afterAll(async () => {
  for (const subscription of subscriptions) subscription?.dispose();
  await server?.kill();
  rmSync(scratch, { recursive: true, force: true });
});

it('"Conexus: Search code" opens the picked result at its lines', async () => {
  const registered = (vscode.commands.registerCommand as jest.Mock).mock.calls.find(
    (call) => call[0] === 'conexus.searchCode',
  );
  expect(registered).toBeDefined();
  jest.spyOn(vscode.window, 'showInputBox').mockResolvedValue('shipping cost of a parcel by weight');
  const picker = jest
    .spyOn(vscode.window, 'showQuickPick')
    .mockImplementation((async (items: { label: string }[]) => items[0]) as never);
  const document = { uri: 'opened' };
  const open = jest.spyOn(vscode.workspace, 'openTextDocument').mockResolvedValue(document);
  const show = jest.spyOn(vscode.window, 'showTextDocument').mockResolvedValue({});

  const errors = jest.spyOn(vscode.window, 'showErrorMessage');
  const notices = jest.spyOn(vscode.window, 'showInformationMessage');
  await (registered![1] as () => Promise<void>)();

  // why: when the picker never opens, the messages the user would have seen say why.
  expect({ picked: picker.mock.calls.length, errors: errors.mock.calls, notices: notices.mock.calls }).toEqual({
    picked: 1,
    errors: [],
    notices: [],
  });
  const items = picker.mock.calls[0]![0] as { label: string; detail: string }[];
  expect(items[0]!.label).toMatch(/^shipping\.go:\d+-\d+$/);
  expect(items[0]!.detail).toMatch(/^shop @ [0-9a-f]{12}$/);
  expect((open.mock.calls[0]![0] as { fsPath: string }).fsPath).toBe(join(repo, 'shipping.go'));
  const [shown, options] = show.mock.calls[0]! as unknown as [
    unknown,
    { selection: { start: { line: number }; end: { line: number } } },
  ];
  expect(shown).toBe(document);
  const [, lines] = items[0]!.label.split(':');
  expect(options.selection.start.line).toBe(Number(lines!.split('-')[0]) - 1);
});

it('shows index status in the status bar', async () => {
  const item = (vscode.window.createStatusBarItem as jest.Mock).mock.results[0]!.value as { text: string };
  await eventually(() => (item.text === '$(search) Conexus: 1 repo' ? true : undefined), 10_000, 'the status bar text');
});

it('registers the gateway MCP endpoint for agent mode', () => {
  const [id, provider] = (vscode.lm.registerMcpServerDefinitionProvider as jest.Mock).mock.calls[0]! as [
    string,
    { provideMcpServerDefinitions(): { label: string; uri: { toString(): string } }[] },
  ];
  expect(id).toBe('conexus');
  const [definition] = provider.provideMcpServerDefinitions();
  expect(definition!.label).toBe('Conexus');
  expect(definition!.uri.toString()).toBe(`${url}/mcp`);
});
