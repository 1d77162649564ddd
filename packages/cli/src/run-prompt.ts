import { createInterface } from 'node:readline/promises';
import type { Engine, ResultUnit } from '@conexus/engine';
import { ConexusError } from '@conexus/kernel';
import { formatResults } from './format-results.js';

/** Answers questions typed at a prompt (or piped, one per line) until end of input or `:quit`. */
export async function runPrompt(engine: Engine, repo: string, unit: ResultUnit, top: number): Promise<void> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  process.stdout.write(
    `Ask about ${repo} (empty line or Ctrl-D to quit; prefix with "file:" or "symbol:" to change the unit).\n`,
  );
  try {
    for (;;) {
      const line = await prompt.question('conexus> ').catch(() => null);
      if (line === null || line.trim() === '' || line.trim() === ':quit') break;
      const match = /^(file|symbol|chunk):\s*(.*)$/s.exec(line.trim());
      try {
        const response = await engine.search({
          query: match ? match[2]! : line,
          repos: [repo],
          unit: match ? (match[1] as ResultUnit) : unit,
          top,
        });
        process.stdout.write(formatResults(response, false));
      } catch (error) {
        process.stdout.write(`conexus: ${ConexusError.from(error).message}\n`);
      }
    }
  } finally {
    prompt.close();
  }
}
