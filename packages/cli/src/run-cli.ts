import { parseArgs } from 'node:util';
import { ConexusError } from '@conexus/kernel';
import { cliCommands } from './cli-commands.js';
import { readCliEnv } from './cli-env.js';
import { CLI_FLAGS, GLOBAL_FLAGS } from './cli-flags.js';
import { readCliVersion } from './cli-version.js';
import { COMMAND_HELP, DELEGATED_COMMAND_HELP } from './command-help.js';
import { formatCommandHelp, formatUsage } from './format-help.js';

/** Runs one CLI invocation and returns its exit code; typed errors propagate to main. */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  // why: audit, policy and keys commands take their own flags, so they parse them in their own files (loaded only when used).
  if (argv[0] === 'audit') return (await import('./run-audit.js')).runAudit(argv.slice(1));
  if (argv[0] === 'policy' || argv[0] === 'keys') return (await import('./run-policy.js')).runPolicy(argv, env);
  // why: flags may come before the command's name, so finding the name takes a parse that knows every flag;
  // the command then parses again with only the flags it takes.
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: CLI_FLAGS, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    throw new ConexusError('invalid_argument', `${(error as Error).message} (see \`${helpCommand(argv)}\`)`);
  }
  const { values, positionals, tokens } = parsed;
  const name = positionals[0];
  if (name === 'help' && positionals.length === 2) return runCli([positionals[1]!, '--help'], env);
  if (!name || name === 'help') {
    if (values.version && !values.help) {
      process.stdout.write(`${readCliVersion()}\n`);
      return 0;
    }
    // why: asked for, the overview is the output; given nothing to do, it explains the usage error instead.
    (name || values.help ? process.stdout : process.stderr).write(formatUsage());
    return name || values.help ? 0 : 2;
  }
  const commands = cliCommands(readCliVersion());
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) throw new ConexusError('invalid_argument', `unknown command "${name}" (see \`conexus --help\`)`);
  if (values.help) {
    const help = COMMAND_HELP[name];
    if (!help) throw new ConexusError('internal', `\`conexus ${name}\` has no help text`);
    process.stdout.write(formatCommandHelp(name, help));
    return 0;
  }
  const refused = tokens.find(
    (token) =>
      token.kind === 'option' && !Object.hasOwn(GLOBAL_FLAGS, token.name) && !command.flags.includes(token.name),
  );
  if (refused?.kind === 'option') {
    throw new ConexusError(
      'invalid_argument',
      `\`conexus ${name}\` does not take ${refused.rawName} (see \`conexus ${name} --help\`)`,
    );
  }
  const print = (text: string): void => void process.stdout.write(text);
  return command.run({
    argv,
    cliEnv: readCliEnv(env),
    env,
    print,
    json: (value) => print(`${JSON.stringify(value)}\n`),
  });
}

// why: an argument list the full parse refuses still names its command, most often; its help is the one to read.
function helpCommand(argv: readonly string[]): string {
  const name = parseArgs({ args: [...argv], options: CLI_FLAGS, allowPositionals: true, strict: false }).positionals[0];
  const known =
    name !== undefined && (Object.hasOwn(COMMAND_HELP, name) || Object.hasOwn(DELEGATED_COMMAND_HELP, name));
  return known ? `conexus ${name} --help` : 'conexus --help';
}
