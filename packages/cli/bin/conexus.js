#!/usr/bin/env node
// The `conexus` command that `npm link` (or `npm install -g .`) puts on PATH: it runs the built CLI.
// why: git keeps this file's executable bit, which a rebuilt dist/main.js would not have, and a clone that was
// never built gets a sentence saying how to build it instead of a module-resolution stack.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('conexus: the CLI is not built; run `npm run setup` in the Conexus clone\n');
  process.exit(1);
}
await import(main.href);
