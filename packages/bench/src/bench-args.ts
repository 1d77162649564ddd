import { parseArgs } from 'node:util';

/** Reads `--name value` options of a benchmark script, with defaults. */
export function benchArgs<T extends Record<string, string>>(defaults: T): T {
  const options = Object.fromEntries(Object.keys(defaults).map((key) => [key, { type: 'string' as const }]));
  const { values } = parseArgs({ args: process.argv.slice(2), options, strict: true, allowPositionals: false });
  return { ...defaults, ...values };
}
