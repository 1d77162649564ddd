import { ConexusError, showName } from '@conexus/kernel';
import { abortOnInterrupt } from '../abort-on-interrupt.js';
import type { CliCommand } from '../cli-command.js';
import { CLI_FLAGS } from '../cli-flags.js';
import { formatSummary, summaryJson } from '../format-results.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { createProgressDisplay } from '../progress-display.js';
import { openEngine } from './open-engine.js';
import { singleFlag } from './single-flag.js';

const FLAGS = { repo: CLI_FLAGS.repo, json: CLI_FLAGS.json };

/**
 * `conexus index <dir>`: indexes or re-indexes a directory, then embeds its new chunks in the foreground, showing
 * progress (a redrawn line on a terminal, JSON lines on stderr with --json). Ctrl-C keeps the last committed snapshot.
 */
export const indexCommand: CliCommand = {
  flags: Object.keys(FLAGS),
  async run({ argv, cliEnv, env, print, json }) {
    const { values, rest, dataDir, embedderSpec } = parseCommandArgs(argv, FLAGS, cliEnv);
    const directory = rest[0];
    if (!directory || rest.length > 1)
      throw new ConexusError('invalid_argument', 'usage: conexus index <dir> [--repo NAME]');
    const engine = await openEngine(dataDir, embedderSpec, env);
    // why: stdout carries the summary alone (one JSON document with --json); progress goes to stderr.
    const display = createProgressDisplay({
      mode: values.json ? 'json' : process.stderr.isTTY ? 'line' : 'none',
      write: (text) => void process.stderr.write(text),
      columns: process.stderr.columns,
    });
    const interrupt = abortOnInterrupt('stopping; the last committed index stays');
    try {
      const summary = await engine.index(directory, singleFlag(values.repo, '--repo'), {
        signal: interrupt.signal,
        onProgress: display.show,
      });
      display.committed(summary.chunks);
      const dense = summary.dense ? await summary.dense : null;
      display.clear();
      if (values.json) json(summaryJson(summary, dense));
      else print(formatSummary(summary, dense));
      if (dense && !dense.complete) {
        process.stderr.write(
          `conexus: ${showName(summary.repo)} is searchable (lexical); ${dense.embedded} chunks were embedded before the stop, and \`conexus index\` again embeds the rest\n`,
        );
        return 130;
      }
    } catch (error) {
      display.clear();
      if (!interrupt.signal.aborted) throw error;
      throw new ConexusError('cancelled', 'stopped before the new snapshot was committed; the index is as it was', {
        cause: error,
      });
    } finally {
      interrupt.dispose();
      await engine.close();
    }
    return 0;
  },
};
