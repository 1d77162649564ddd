import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { ConexusError } from '@conexus/kernel';
import { COMMAND_HELP } from './command-help.js';
import { formatCommandHelp, formatUsage } from './format-help.js';
import { runCli } from './run-cli.js';

// why: a refused flag fails before any command opens a store, so these need no data directory.
const env = { CONEXUS_DATA_DIR: '/nonexistent/conexus-test', CONEXUS_EMBEDDER: 'none' };

async function refusal(argv: string[]): Promise<ConexusError> {
  const error = await runCli(argv, env).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ConexusError);
  return error as ConexusError;
}

describe('runCli flags', () => {
  it.each([
    [['status', '--top', '5'], 'status', '--top'],
    [['--top', '5', 'status'], 'status', '--top'],
    [['repos', '--unit', 'file'], 'repos', '--unit'],
    [['remove', 'demo', '--json'], 'remove', '--json'],
    [['index', '.', '--top=3'], 'index', '--top'],
    [['serve', '--url', 'http://gateway'], 'serve', '--url'],
    [['mcp', '--port', '7000'], 'mcp', '--port'],
    [['ask', '--json'], 'ask', '--json'],
    [['search', 'x', '--host', 'example'], 'search', '--host'],
    [['search', 'x', '--embedder', 'none'], 'search', '--embedder'],
    [['repos', '--embedder', 'none'], 'repos', '--embedder'],
    [['--embedder=auto', 'status'], 'status', '--embedder'],
    [['remove', 'demo', '--embedder', 'none'], 'remove', '--embedder'],
    [['index', '.', '--version'], 'index', '--version'],
  ])('refuses a flag the command does not take: %j', async (argv, command, flag) => {
    const error = await refusal(argv);
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toBe(`\`conexus ${command}\` does not take ${flag} (see \`conexus ${command} --help\`)`);
  });

  it('takes --embedder and --data-dir where they are used: the command runs on to its own checks', async () => {
    const dataDir = ['--data-dir', '/nonexistent/conexus-test'];
    expect(await refusal(['serve', '--embedder', 'none', ...dataDir, '--port', 'eighty'])).toMatchObject({
      message: 'invalid port "eighty"',
    });
    expect((await refusal(['index', '--embedder', 'none', ...dataDir])).message).toMatch(/^usage: conexus index <dir>/);
    expect((await refusal(['mcp', 'extra', '--embedder', 'none', ...dataDir])).message).toMatch(/^usage: conexus mcp/);
    expect((await refusal(['remove', ...dataDir])).message).toBe('usage: conexus remove <repo>');
  });

  it('refuses a flag no command takes, pointing at the command’s help, and an unknown command', async () => {
    const unknown = await refusal(['status', '--frobnicate']);
    expect(unknown.message).toMatch(/^Unknown option '--frobnicate'.* \(see `conexus status --help`\)$/);
    expect((await refusal(['--frobnicate'])).message).toMatch(/\(see `conexus --help`\)$/);
    expect((await refusal(['launch'])).message).toBe('unknown command "launch" (see `conexus --help`)');
    expect((await refusal(['help', 'launch'])).message).toBe('unknown command "launch" (see `conexus --help`)');
  });

  it('refuses a bad value of a flag the command takes', async () => {
    const error = await refusal(['serve', '--port', 'eighty', '--data-dir', '/nonexistent/conexus-test']);
    expect(error).toMatchObject({ code: 'invalid_argument', message: 'invalid port "eighty"' });
  });

  it('refuses a bad CONEXUS_PORT only where serve reads it', async () => {
    const error = await runCli(['serve'], { ...env, CONEXUS_PORT: 'x' }).catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'invalid_argument', message: 'invalid port "x"' });
  });
});

describe('runCli help and version', () => {
  let out: string[];
  let err: string[];
  beforeEach(() => {
    out = [];
    err = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((text) => out.push(String(text)) > 0);
    jest.spyOn(process.stderr, 'write').mockImplementation((text) => err.push(String(text)) > 0);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('prints the version of the CLI package', async () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(await runCli(['--version'], env)).toBe(0);
    expect(out.join('')).toBe(`${manifest.version}\n`);
  });

  it.each(Object.keys(COMMAND_HELP))('prints the help of `conexus %s` alone, exit 0', async (name) => {
    const help = formatCommandHelp(name, COMMAND_HELP[name]!);
    for (const argv of [
      [name, '--help'],
      [name, '-h'],
      ['help', name],
      ['--help', name],
    ]) {
      out.length = 0;
      expect(await runCli(argv, env)).toBe(0);
      expect(out.join('')).toBe(help);
    }
  });

  it('prints --help even beside a flag the command would refuse', async () => {
    expect(await runCli(['remove', '--json', '--help'], env)).toBe(0);
    expect(out.join('')).toBe(formatCommandHelp('remove', COMMAND_HELP.remove!));
  });

  it('prints the overview on --help and on help, and on stderr with exit 2 when given nothing', async () => {
    expect(await runCli(['--help'], env)).toBe(0);
    expect(await runCli(['help'], env)).toBe(0);
    expect(out.join('')).toBe(formatUsage().repeat(2));
    expect(await runCli([], env)).toBe(2);
    expect(err.join('')).toBe(formatUsage());
  });

  it.each([
    [['audit', '--help'], 'usage: conexus audit verify'],
    [['help', 'audit'], 'usage: conexus audit verify'],
    [['policy', '--help'], 'usage: conexus policy grant'],
    [['keys', '--help'], 'usage: conexus policy grant'],
    [['help', 'keys'], 'usage: conexus policy grant'],
  ])('leaves %j to the command’s own help', async (argv, start) => {
    expect(await runCli(argv, env)).toBe(0);
    expect(out.join('')).toMatch(new RegExp(`^${start}`));
  });
});
