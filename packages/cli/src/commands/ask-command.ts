import type { CliCommand } from '../cli-command.js';
import { CLI_FLAGS } from '../cli-flags.js';
import { formatSummary } from '../format-results.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { runPrompt } from '../run-prompt.js';
import { openEngine } from './open-engine.js';
import { parseTop } from './parse-top.js';
import { parseUnit } from './parse-unit.js';
import { singleFlag } from './single-flag.js';

const FLAGS = { repo: CLI_FLAGS.repo, unit: CLI_FLAGS.unit, top: CLI_FLAGS.top };

/** `conexus ask [dir]`: indexes a directory, then answers questions typed at a prompt. */
export const askCommand: CliCommand = {
  flags: Object.keys(FLAGS),
  async run({ argv, cliEnv, env }) {
    const { values, rest, dataDir, embedderSpec } = parseCommandArgs(argv, FLAGS, cliEnv);
    const engine = await openEngine(dataDir, embedderSpec, env);
    try {
      const repo = singleFlag(values.repo, '--repo');
      const summary = await engine.index(rest[0] ?? '.', repo);
      process.stderr.write(formatSummary(summary));
      await runPrompt(engine, summary.repo, parseUnit(values.unit), parseTop(values.top));
    } finally {
      await engine.close();
    }
    return 0;
  },
};
