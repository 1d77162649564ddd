import { CLI_FLAGS } from './cli-flags.js';
import { COMMAND_HELP, DELEGATED_COMMAND_HELP, type CommandHelp, type OptionHelp } from './command-help.js';

/** `conexus <name> --help`: the command's usage, what it does, and its options. */
export function formatCommandHelp(name: string, help: CommandHelp): string {
  return [
    `usage: conexus ${name}${help.args ? ` ${help.args}` : ''} [options]`,
    '',
    `${help.summary[0]!.toUpperCase()}${help.summary.slice(1)}.`,
    ...(help.details ?? []),
    '',
    'options:',
    ...columns(Object.entries(help.options).map(([flag, option]) => [optionLabel(flag, option), option.text])),
    '',
  ].join('\n');
}

/** `conexus --help`: every command in one line each, and where to find their options. */
export function formatUsage(): string {
  const commands = [
    ...Object.entries(COMMAND_HELP).map(([name, help]) => [`${name} ${help.args}`.trim(), help.summary] as const),
    ...Object.entries(DELEGATED_COMMAND_HELP).map(([name, help]) => [`${name} ${help.args}`, help.summary] as const),
  ];
  return [
    'usage: conexus <command> [options]',
    '',
    'commands:',
    ...columns(commands),
    '',
    'options:',
    ...columns([
      ['--version', 'print the version'],
      ['--help, -h', 'print this help'],
    ]),
    '',
    'Run `conexus <command> --help` (or `conexus help <command>`) for the options of a command;',
    'a command refuses the options it does not take.',
    '',
  ].join('\n');
}

function optionLabel(flag: string, option: OptionHelp): string {
  const flags: Readonly<Record<string, { readonly type: string; readonly short?: string }>> = CLI_FLAGS;
  const short = Object.hasOwn(flags, flag) ? flags[flag]?.short : undefined;
  return `--${flag}${option.value ? ` ${option.value}` : ''}${short ? `, -${short}` : ''}`;
}

function columns(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}
