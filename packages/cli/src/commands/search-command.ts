import { readFileSync } from 'node:fs';
import { ConexusError } from '@conexus/kernel';
import type { CliCommand } from '../cli-command.js';
import { CLI_FLAGS } from '../cli-flags.js';
import { formatResults } from '../format-results.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { openEngineForSearch } from './open-engine.js';
import { parseTop } from './parse-top.js';
import { parseUnit } from './parse-unit.js';

const FLAGS = {
  'query-file': CLI_FLAGS['query-file'],
  repo: CLI_FLAGS.repo,
  unit: CLI_FLAGS.unit,
  top: CLI_FLAGS.top,
  json: CLI_FLAGS.json,
};

/** `conexus search QUERY...`: searches the indexed repositories. */
export const searchCommand: CliCommand = {
  flags: Object.keys(FLAGS),
  async run({ argv, cliEnv, env, print, json }) {
    const { values, rest, dataDir } = parseCommandArgs(argv, FLAGS, cliEnv);
    const query = readQuery(rest, values['query-file']);
    const engine = await openEngineForSearch(dataDir, values.repo ?? [], env);
    try {
      const response = await engine.search({
        query,
        repos: values.repo ?? [],
        unit: parseUnit(values.unit),
        top: parseTop(values.top),
      });
      if (values.json) {
        const unit = parseUnit(values.unit);
        json({
          ...response,
          results: response.results.map((result) => (unit === 'file' ? withoutText(result) : result)),
        });
      } else {
        print(formatResults(response, engine.repos().length > 1));
      }
    } finally {
      await engine.close();
    }
    return 0;
  },
};

function readQuery(words: readonly string[], queryFile: string | undefined): string {
  if (queryFile !== undefined) {
    try {
      return readFileSync(queryFile === '-' ? 0 : queryFile, 'utf8');
    } catch (error) {
      throw new ConexusError('invalid_argument', `cannot read query file ${queryFile}: ${(error as Error).message}`);
    }
  }
  if (words.length === 0)
    throw new ConexusError('invalid_argument', 'usage: conexus search QUERY... (or --query-file FILE|-)');
  return words.join(' ');
}

function withoutText<T extends { text?: string }>(result: T): Omit<T, 'text'> {
  const { text: _text, ...rest } = result;
  return rest;
}
