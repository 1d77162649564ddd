import type { CliCommand } from '../cli-command.js';
import { CLI_FLAGS } from '../cli-flags.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { formatRepos } from './format-repos.js';
import { openEngine } from './open-engine.js';

const FLAGS = { json: CLI_FLAGS.json };

/** `conexus repos` lists the indexed repositories; `conexus status` (withDataDir) shows the data directory too. */
export function reposCommand({ withDataDir }: { withDataDir: boolean }): CliCommand {
  return {
    flags: Object.keys(FLAGS),
    async run({ argv, cliEnv, env, print, json }) {
      const { values, dataDir } = parseCommandArgs(argv, FLAGS, cliEnv);
      const engine = await openEngine(dataDir, 'none', env);
      try {
        const repos = engine.repos();
        if (values.json) json(withDataDir ? { dataDir, repos } : { repos });
        else print(formatRepos(withDataDir ? dataDir : null, repos));
      } finally {
        await engine.close();
      }
      return 0;
    },
  };
}
