import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

// why: questions piped to `conexus ask` used to be lost when they arrived before the prompt asked for them; these
// drive the real command as a child process, with all input at once and with input that trickles in.
const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(here, '../bin/conexus.js');
const scratch = mkdtempSync(join(tmpdir(), 'conexus-ask-'));
const repo = join(scratch, 'repo');
afterAll(() => rmSync(scratch, { recursive: true, force: true, maxRetries: 5 }));

const FILES: Record<string, string> = {
  'app/greet.py': 'def greet_visitor(name):\n    return "hello " + name\n',
  'app/farewell.py': 'def wave_goodbye(name):\n    return "bye " + name\n',
  'app/totals.py': 'def sum_invoice_lines(lines):\n    return sum(line.amount for line in lines)\n',
};
// why: each question matches exactly one file, so an answer shows which question it belongs to.
const QUESTIONS: readonly (readonly [string, string])[] = [
  ['greet_visitor', 'app/greet.py'],
  ['wave_goodbye', 'app/farewell.py'],
  ['sum_invoice_lines', 'app/totals.py'],
  ['symbol: greet_visitor', 'app/greet.py'],
];

beforeAll(() => {
  for (const [path, content] of Object.entries(FILES)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), content);
  }
  execFileSync('git', ['init', '-q'], { cwd: repo });
  execFileSync('git', ['add', '-A'], { cwd: repo });
  execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'c'], { cwd: repo });
});

const args = (dataDir: string) => [bin, 'ask', repo, '--embedder', 'none', '--data-dir', dataDir];

/** The answers in a transcript: each echoed question with the first path of the results below it. */
function answers(stdout: string): [string, string | undefined][] {
  return stdout
    .split(/^conexus> /m)
    .slice(1)
    .map((block) => {
      const [question, ...rest] = block.split('\n');
      return [question!, /^ {1,2}1\. (\S+?):\d/m.exec(rest.join('\n'))?.[1]];
    });
}

describe('conexus ask with piped questions', () => {
  it('answers every question, skipping blank lines between them', () => {
    const input = `${QUESTIONS[0]![0]}\n\n${QUESTIONS[1]![0]}\n   \n\n${QUESTIONS[2]![0]}\n${QUESTIONS[3]![0]}`;
    const result = spawnSync(process.execPath, args(join(scratch, 'data-all')), {
      input,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(0);
    expect(answers(result.stdout)).toEqual(QUESTIONS.map(([question, path]) => [question, path]));
  });

  it('answers questions that arrive while earlier ones are searched, and stops at :quit', async () => {
    const child = spawn(process.execPath, args(join(scratch, 'data-trickle')), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    // why: two questions in one write, then the rest a line at a time, reach the prompt both batched and spaced.
    child.stdin.write(`${QUESTIONS[0]![0]}\n\n${QUESTIONS[1]![0]}\n`);
    for (const [question] of QUESTIONS.slice(2)) {
      await new Promise((done) => setTimeout(done, 150));
      child.stdin.write(`${question}\n\n`);
    }
    child.stdin.write(':quit\nnot a question\n');
    expect(await exited).toBe(0);
    expect(answers(stdout)).toEqual(QUESTIONS.map(([question, path]) => [question, path]));
  });
});
