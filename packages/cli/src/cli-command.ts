import type { CliEnv } from './cli-env.js';

/** What a command runs with: the whole argument list (it parses its own flags), the CLI's environment, and output. */
export interface CliContext {
  readonly argv: readonly string[];
  readonly cliEnv: CliEnv;
  /** The process environment, for the libraries that read their own variables (embedders, servers). */
  readonly env: NodeJS.ProcessEnv;
  readonly print: (text: string) => void;
  /** Prints a value as one JSON line. */
  readonly json: (value: unknown) => void;
}

/** One CLI command: the flags it takes besides the global ones, and how it runs. */
export interface CliCommand {
  readonly flags: readonly string[];
  run(context: CliContext): Promise<number>;
}
