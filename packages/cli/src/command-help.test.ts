import { describe, expect, it } from '@jest/globals';
import { cliCommands } from './cli-commands.js';
import { CLI_FLAGS, GLOBAL_FLAGS } from './cli-flags.js';
import { COMMAND_HELP, DELEGATED_COMMAND_HELP } from './command-help.js';
import { formatCommandHelp, formatUsage } from './format-help.js';

const commands = cliCommands('0.0.0-test');

describe('COMMAND_HELP', () => {
  it('has help for every command and for no other', () => {
    expect(Object.keys(COMMAND_HELP).sort()).toEqual(Object.keys(commands).sort());
    for (const name of Object.keys(DELEGATED_COMMAND_HELP)) expect(Object.hasOwn(commands, name)).toBe(false);
  });

  it.each(Object.keys(commands))('lists exactly the flags `conexus %s` takes', (name) => {
    const accepted = [...Object.keys(GLOBAL_FLAGS), ...commands[name]!.flags].sort();
    expect(Object.keys(COMMAND_HELP[name]!.options).sort()).toEqual(accepted);
    for (const flag of accepted) expect(Object.hasOwn(CLI_FLAGS, flag)).toBe(true);
  });

  it('gives --embedder only to the commands that embed', () => {
    const embedding = Object.keys(commands).filter((name) => commands[name]!.flags.includes('embedder'));
    expect(embedding.sort()).toEqual(['ask', 'index', 'mcp', 'serve']);
  });
});

describe('formatCommandHelp', () => {
  it('shows the usage, what the command does, and each option with its value and short form', () => {
    const text = formatCommandHelp('index', COMMAND_HELP.index!);
    expect(text.split('\n')[0]).toBe('usage: conexus index <dir> [options]');
    expect(text).toMatch(/^ {2}--repo NAME +the repository's name/m);
    expect(text).toMatch(/^ {2}--json +print the summary/m);
    expect(text).toMatch(/^ {2}--help, -h +print this help$/m);
    expect(text).not.toMatch(/--top|--port/);
  });

  it('keeps every help line within 100 columns', () => {
    const texts = [formatUsage(), ...Object.entries(COMMAND_HELP).map(([name, help]) => formatCommandHelp(name, help))];
    for (const line of texts.join('\n').split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});

describe('formatUsage', () => {
  it('names every command, its own and the delegated ones, and how to get a command’s options', () => {
    const text = formatUsage();
    for (const name of [...Object.keys(COMMAND_HELP), ...Object.keys(DELEGATED_COMMAND_HELP)])
      expect(text).toMatch(new RegExp(`^ {2}${name}\\b`, 'm'));
    expect(text).toContain('`conexus <command> --help`');
    expect(text).toMatch(/^ {2}--version +print the version$/m);
  });
});
