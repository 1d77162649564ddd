import { ConexusError } from '@conexus/kernel';
import type { CliCommand } from '../cli-command.js';
import { CLI_FLAGS } from '../cli-flags.js';
import { formatSummary } from '../format-results.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { openEngine } from './open-engine.js';
import { singleFlag } from './single-flag.js';

const FLAGS = { repo: CLI_FLAGS.repo, json: CLI_FLAGS.json };

/** `conexus index <dir>`: indexes or re-indexes a directory. */
export const indexCommand: CliCommand = {
  flags: Object.keys(FLAGS),
  async run({ argv, cliEnv, env, print, json }) {
    const { values, rest, dataDir, embedderSpec } = parseCommandArgs(argv, FLAGS, cliEnv);
    const directory = rest[0];
    if (!directory || rest.length > 1)
      throw new ConexusError('invalid_argument', 'usage: conexus index <dir> [--repo NAME]');
    const engine = await openEngine(dataDir, embedderSpec, env);
    try {
      const summary = await engine.index(directory, singleFlag(values.repo, '--repo'));
      if (values.json) json(summary);
      else print(formatSummary(summary));
    } finally {
      await engine.close();
    }
    return 0;
  },
};
