import { parseArgs } from 'node:util';
import { ConexusError } from '@conexus/kernel';
import type { CliCommand } from './cli-command.js';
import { readCliEnv } from './cli-env.js';
import { CLI_FLAGS, GLOBAL_FLAGS } from './cli-flags.js';
import { askCommand } from './commands/ask-command.js';
import { indexCommand } from './commands/index-command.js';
import { mcpCommand } from './commands/mcp-command.js';
import { removeCommand } from './commands/remove-command.js';
import { reposCommand } from './commands/repos-command.js';
import { searchCommand } from './commands/search-command.js';
import { serveCommand } from './commands/serve-command.js';

const VERSION = '0.1.0';

const USAGE = `usage: conexus <command> [options]

commands:
  index <dir> [--repo NAME] [--embedder none|auto|MODEL] [--json]   index or re-index a directory
  search [QUERY...] [--query-file FILE|-] [--repo NAME]... [--unit chunk|symbol|file] [--top K] [--json]
  mcp [--index DIR]... [--source-root DIR]... [--url GATEWAY]  serve MCP tools on stdio (an embedded engine, or a gateway with
                                               its token in CONEXUS_TOKEN)
  serve [--port 7420] [--host 127.0.0.1] [--index DIR]... [--source-root DIR]... [--embedder ...]
                                               run the embedded server (gRPC, gRPC-Web, Connect/JSON) and index DIRs;
                                               AddRepo may index only under DIRs, source roots and the working directory
  ask [dir] [--repo NAME] [--embedder ...]     index a directory, then answer questions typed at a prompt
  repos [--json]                               list indexed repositories
  status [--json]                              data directory and index summary
  remove <repo>                                delete a repository from the index
  audit verify|export|head (--nats URL | --file PATH)  check the hash chain and its anchored head, export, print the head
                                               (see \`conexus audit --help\`)
  policy grant|revoke|list|explain             manage who may read what through a gateway's admin API, with
  keys create|list|revoke                      an admin token in CONEXUS_TOKEN (see \`conexus policy --help\`)

common options:
  --data-dir DIR   where the index lives (default: $CONEXUS_DATA_DIR or ~/.local/share/conexus)
  --embedder SPEC  the embedder: none, auto or a model (default: $CONEXUS_EMBEDDER or auto)
  --help, -h       this text
  a command refuses the options it does not take (shown beside it above)
`;

const COMMANDS: Readonly<Record<string, CliCommand>> = {
  index: indexCommand,
  search: searchCommand,
  ask: askCommand,
  serve: serveCommand,
  mcp: mcpCommand(VERSION),
  repos: reposCommand({ withDataDir: false }),
  status: reposCommand({ withDataDir: true }),
  remove: removeCommand,
};

/** Runs one CLI invocation and returns its exit code; typed errors propagate to main. */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  // why: audit, policy and keys commands take their own flags, so they parse them in their own files (loaded only when used).
  if (argv[0] === 'audit') return (await import('./run-audit.js')).runAudit(argv.slice(1));
  if (argv[0] === 'policy' || argv[0] === 'keys') return (await import('./run-policy.js')).runPolicy(argv, env);
  // why: flags may come before the command's name, so finding the name takes a parse that knows every flag;
  // the command then parses again with only the flags it takes.
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: CLI_FLAGS, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    throw new ConexusError('invalid_argument', `${(error as Error).message} (see \`conexus --help\`)`);
  }
  const { values, positionals, tokens } = parsed;
  const name = positionals[0];
  if (values.help || !name || name === 'help') {
    process.stdout.write(USAGE);
    return name || values.help ? 0 : 2;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) throw new ConexusError('invalid_argument', `unknown command "${name}" (see \`conexus --help\`)`);
  const refused = tokens.find(
    (token) =>
      token.kind === 'option' && !Object.hasOwn(GLOBAL_FLAGS, token.name) && !command.flags.includes(token.name),
  );
  if (refused?.kind === 'option') {
    throw new ConexusError(
      'invalid_argument',
      `\`conexus ${name}\` does not take ${refused.rawName} (see \`conexus --help\`)`,
    );
  }
  const print = (text: string): void => void process.stdout.write(text);
  return command.run({
    argv,
    cliEnv: readCliEnv(env),
    env,
    print,
    json: (value) => print(`${JSON.stringify(value)}\n`),
  });
}
