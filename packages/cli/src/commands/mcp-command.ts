import { ConexusError } from '@conexus/kernel';
import type { CliCommand } from '../cli-command.js';
import { CLI_FLAGS } from '../cli-flags.js';
import { parseCommandArgs } from '../parse-command-args.js';

const FLAGS = {
  url: CLI_FLAGS.url,
  index: CLI_FLAGS.index,
  'source-root': CLI_FLAGS['source-root'],
  'no-watch': CLI_FLAGS['no-watch'],
};

/** `conexus mcp`: serves MCP tools on stdio, over an embedded engine or a gateway. */
export function mcpCommand(version: string): CliCommand {
  return {
    flags: Object.keys(FLAGS),
    async run({ argv, cliEnv, env }) {
      const { values, rest, dataDir, embedderSpec } = parseCommandArgs(argv, FLAGS, cliEnv);
      if (rest.length > 0)
        throw new ConexusError('invalid_argument', 'usage: conexus mcp [--index DIR]... [--no-watch] [--url GATEWAY]');
      const { runMcp } = await import('../run-mcp.js');
      await runMcp({
        url: values.url ?? cliEnv.url,
        token: cliEnv.token,
        dataDir,
        index: values.index ?? [],
        sourceRoots: values['source-root'] ?? [],
        watch: !values['no-watch'],
        embedderSpec,
        env,
        version,
      });
      return 0;
    },
  };
}
