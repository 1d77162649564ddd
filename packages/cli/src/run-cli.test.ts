import { describe, expect, it } from '@jest/globals';
import { ConexusError } from '@conexus/kernel';
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
  ])('refuses a flag the command does not take: %j', async (argv, command, flag) => {
    const error = await refusal(argv);
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toBe(`\`conexus ${command}\` does not take ${flag} (see \`conexus --help\`)`);
  });

  it('refuses a flag no command takes, and an unknown command, as before', async () => {
    expect((await refusal(['status', '--frobnicate'])).message).toMatch(/^Unknown option '--frobnicate'/);
    expect((await refusal(['launch'])).message).toBe('unknown command "launch" (see `conexus --help`)');
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
