#!/usr/bin/env node
import { ConexusError, showControls } from '@conexus/kernel';
import { exitCodeOf } from './exit-code.js';
import { readCliEnv } from './cli-env.js';
import { runCli } from './run-cli.js';

// why: `conexus search … | head` closes the pipe early; that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// why: the CLI is the only edge that turns errors into exit codes; users see one line, never a stack.
runCli(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const typed = ConexusError.from(error);
    process.stderr.write(
      `conexus: ${typed.code === 'internal' ? 'internal error: ' : ''}${showControls(typed.message)}\n`,
    );
    if (typed.code === 'internal' && readCliEnv(process.env).debug)
      process.stderr.write(`${String((error as Error).stack)}\n`);
    process.exitCode = exitCodeOf(typed.code);
  },
);
