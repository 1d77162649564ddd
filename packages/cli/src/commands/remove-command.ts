import { ConexusError, showName } from '@conexus/kernel';
import type { CliCommand } from '../cli-command.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { openEngine } from './open-engine.js';

/** `conexus remove <repo>`: deletes a repository from the index. */
export const removeCommand: CliCommand = {
  flags: [],
  async run({ argv, cliEnv, env, print }) {
    const { rest, dataDir } = parseCommandArgs(argv, {}, cliEnv);
    const name = rest[0];
    if (!name) throw new ConexusError('invalid_argument', 'usage: conexus remove <repo>');
    const engine = await openEngine(dataDir, 'none', env);
    try {
      if (!engine.remove(name))
        throw new ConexusError('not_found', `unknown repository "${name}" (see \`conexus repos\`)`);
      print(`removed ${showName(name)}\n`);
    } finally {
      await engine.close();
    }
    return 0;
  },
};
