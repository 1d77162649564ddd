import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConexusError } from '@conexus/kernel';
import type { CliEnv } from './cli-env.js';
import { RESOLVED_FLAGS } from './cli-flags.js';

type Flags = NonNullable<ParseArgsConfig['options']>;
type Values<T extends Flags> = ReturnType<
  typeof parseArgs<{ args: string[]; options: typeof RESOLVED_FLAGS & T; allowPositionals: true; strict: true }>
>['values'];

/** A command's parsed arguments and the global settings they resolve. */
export interface CommandArgs<T extends Flags> {
  readonly values: Values<T>;
  /** The positionals after the command's name. */
  readonly rest: readonly string[];
  readonly dataDir: string;
  readonly embedderSpec: string;
}

/** Parses a command's arguments against the flags every command resolves and its own. */
export function parseCommandArgs<T extends Flags>(argv: readonly string[], flags: T, cliEnv: CliEnv): CommandArgs<T> {
  const options = { ...RESOLVED_FLAGS, ...flags };
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ConexusError('invalid_argument', `${(error as Error).message} (see \`conexus --help\`)`);
  }
  const global = parsed.values as { 'data-dir'?: string; embedder?: string };
  return {
    values: parsed.values,
    rest: parsed.positionals.slice(1),
    // why: an empty --data-dir means the default, as it always did.
    dataDir: global['data-dir'] || cliEnv.dataDir,
    embedderSpec: global.embedder ?? cliEnv.embedder,
  };
}
