import type { CliCommand } from './cli-command.js';
import { askCommand } from './commands/ask-command.js';
import { indexCommand } from './commands/index-command.js';
import { mcpCommand } from './commands/mcp-command.js';
import { removeCommand } from './commands/remove-command.js';
import { reposCommand } from './commands/repos-command.js';
import { searchCommand } from './commands/search-command.js';
import { serveCommand } from './commands/serve-command.js';

/** The CLI's own commands by name (audit, policy and keys parse their flags in their own files); `version` is the CLI's. */
export function cliCommands(version: string): Readonly<Record<string, CliCommand>> {
  return {
    index: withEmbedder(indexCommand),
    search: searchCommand,
    ask: withEmbedder(askCommand),
    serve: withEmbedder(serveCommand),
    mcp: withEmbedder(mcpCommand(version)),
    repos: reposCommand({ withDataDir: false }),
    status: reposCommand({ withDataDir: true }),
    remove: removeCommand,
  };
}

// why: every command resolves an embedder spec, but only those that embed take --embedder; search embeds queries
// with the model its repositories were indexed with, and repos, status and remove embed nothing.
function withEmbedder(command: CliCommand): CliCommand {
  return { flags: [...command.flags, 'embedder'], run: (context) => command.run(context) };
}
