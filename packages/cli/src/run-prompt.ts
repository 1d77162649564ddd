import { createInterface } from 'node:readline';
import type { Engine, ResultUnit } from '@conexus/engine';
import { ConexusError } from '@conexus/kernel';
import { formatResults } from './format-results.js';

const PROMPT = 'conexus> ';

/** Answers questions typed at a prompt (or piped, one per line; blank lines skipped) until end of input or `:quit`. */
export async function runPrompt(engine: Engine, repo: string, unit: ResultUnit, top: number): Promise<void> {
  const terminal = process.stdin.isTTY === true;
  const prompt = createInterface({ input: process.stdin, output: process.stdout, terminal, prompt: PROMPT });
  // why: the iterator buffers every line from the moment it exists, including lines piped in while a search runs;
  // asking with question() one line at a time dropped the lines that arrived before each question.
  const lines = prompt[Symbol.asyncIterator]();
  // why: on a terminal Ctrl-C at the prompt ends it, as Ctrl-D does; without a listener readline only pauses.
  prompt.on('SIGINT', () => prompt.close());
  process.stdout.write(
    `Ask about ${repo} (Ctrl-D or :quit to quit; prefix with "file:" or "symbol:" to change the unit).\n`,
  );
  try {
    if (terminal) prompt.prompt();
    for (let next = await lines.next(); !next.done; next = await lines.next()) {
      const question = next.value.trim();
      if (question === ':quit') break;
      if (question !== '') {
        // why: piped questions are not echoed by a terminal, so the transcript shows each one above its answer.
        if (!terminal) process.stdout.write(`${PROMPT}${question}\n`);
        await answer(engine, question, repo, unit, top);
      }
      if (terminal) prompt.prompt();
    }
  } finally {
    prompt.close();
  }
}

async function answer(engine: Engine, question: string, repo: string, unit: ResultUnit, top: number): Promise<void> {
  const match = /^(file|symbol|chunk):\s*(.*)$/s.exec(question);
  try {
    const response = await engine.search({
      query: match ? match[2]! : question,
      repos: [repo],
      unit: match ? (match[1] as ResultUnit) : unit,
      top,
    });
    process.stdout.write(formatResults(response, false));
  } catch (error) {
    process.stdout.write(`conexus: ${ConexusError.from(error).message}\n`);
  }
}
