import type { IndexProgress } from '@conexus/engine';
import { abortOnInterrupt } from '../abort-on-interrupt.js';
import { announceDense } from '../announce-dense.js';
import type { CliCommand } from '../cli-command.js';
import { CLI_FLAGS } from '../cli-flags.js';
import { formatSummary } from '../format-results.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { createProgressDisplay } from '../progress-display.js';
import { runPrompt } from '../run-prompt.js';
import { openIndexingEngine } from './open-engine.js';
import { parseTop } from './parse-top.js';
import { parseUnit } from './parse-unit.js';
import { singleFlag } from './single-flag.js';

const FLAGS = { repo: CLI_FLAGS.repo, unit: CLI_FLAGS.unit, top: CLI_FLAGS.top };

/**
 * `conexus ask [dir]`: indexes a directory lexically, then answers questions typed at a prompt right away while its
 * vectors are computed in the background (said so, and used once they are in).
 */
export const askCommand: CliCommand = {
  flags: Object.keys(FLAGS),
  async run({ argv, cliEnv, env }) {
    const { values, rest, dataDir, embedderSpec } = parseCommandArgs(argv, FLAGS, cliEnv);
    const { engine, model } = await openIndexingEngine(dataDir, embedderSpec, env);
    const write = (text: string): void => void process.stderr.write(text);
    const display = createProgressDisplay({
      mode: process.stderr.isTTY ? 'line' : 'none',
      write,
      columns: process.stderr.columns,
    });
    const interrupt = abortOnInterrupt('stopping; the last committed index stays');
    const leaving = new AbortController();
    let latest: IndexProgress | null = null;
    let prompting = false;
    let embeddingStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => (embeddingStarted = resolve));
    let finished: Promise<void> = Promise.resolve();
    try {
      const summary = await engine.index(rest[0] ?? '.', singleFlag(values.repo, '--repo'), {
        signal: AbortSignal.any([interrupt.signal, leaving.signal]),
        onProgress: (progress) => {
          if (progress.phase === 'embedding') {
            latest = progress;
            embeddingStarted();
          }
          // why: once the prompt is up, a redrawn line would overwrite what the user types.
          if (!prompting) display.show(progress);
        },
      });
      display.clear();
      write(formatSummary(summary));
      if (summary.dense)
        ({ finished } = await announceDense({ dense: summary.dense, started, latest: () => latest, model, write }));
      prompting = true;
      display.clear();
      // why: at the prompt, readline owns Ctrl-C; the embedding is stopped when the prompt ends.
      interrupt.dispose();
      await runPrompt(engine, summary.repo, parseUnit(values.unit), parseTop(values.top));
    } finally {
      interrupt.dispose();
      display.clear();
      leaving.abort();
      await finished;
      await engine.close();
    }
    return 0;
  },
};
