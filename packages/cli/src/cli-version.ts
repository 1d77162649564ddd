import { readFileSync } from 'node:fs';

/** The CLI's version, read from its package.json so that `conexus --version` never drifts from the package. */
export function readCliVersion(): string {
  // why: this file sits in src/ (tests) or dist/ (the binary), both one level below the package's root.
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}
