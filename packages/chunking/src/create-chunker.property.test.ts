import { beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createChunker, type Chunker } from './create-chunker.js';

// why: the oracle is GetFile's own counting, written out here rather than imported, so the test checks the chunker
// against it instead of against itself.
const getFileLines = (text: string): string[] => {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
};

let small: Chunker;
let standard: Chunker;
beforeAll(async () => {
  small = await createChunker({ maxTokens: 40, minTokens: 6 });
  standard = await createChunker();
});

/** Small sources per tree-sitter path, mixed and shuffled into random files below. */
const SOURCES: Record<string, readonly string[]> = {
  'a.py': [
    'import os',
    'class Repo:\n    """Docs."""\n\n    def fetch(self, url):\n        return url',
    'def helper(x):\n    return x',
    '@decorator\ndef wrapped():\n    pass',
    'x = [\n    1,\n    2,\n]',
  ],
  'a.ts': [
    'export interface Store {\n  get(id: string): string;\n}',
    'export class Cache {\n  lookup(key: string) {\n    return key;\n  }\n}',
    'export const arrow = (x: number) => x * 2;',
    '// comment',
    'function broken( {',
  ],
  'a.go': [
    'package geo',
    'type Rect struct{ W, H float64 }',
    'func (r *Rect) Area() float64 {\n\treturn r.W * r.H\n}',
    'func New() *Rect { return &Rect{} }',
  ],
  'a.c': [
    '#include <stdio.h>',
    '#define MAX(a, b) ((a) > (b) ? (a) : (b))',
    'struct node { int v; };',
    'int add(int a, int b) {\n  return a + b;\n}',
    'typedef int id;',
  ],
  'a.rb': [
    'module Shop\n  class Cart\n    def empty?\n      true\n    end\n  end\nend',
    'def top\n  1\nend',
    'puts "hi"',
  ],
};
const TEXT_PATHS = ['notes.md', 'config.yaml', 'data.txt', 'Makefile'];

const ending = fc.constantFrom('\n', '\r\n');
const trailing = fc.constantFrom('', 'newline', 'blank lines');
const finish = (lines: readonly string[], eol: string, tail: string): string => {
  const body = lines.join(eol);
  if (tail === 'newline') return body + eol;
  if (tail === 'blank lines') return body + eol + eol + eol;
  return body;
};
const line = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 60, unit: 'grapheme' }) },
  { weight: 2, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.constantFrom(' ', '\t', '\r') },
  {
    weight: 1,
    arbitrary: fc.string({ minLength: 500, maxLength: 4000, unit: fc.constantFrom('a', ' ', '{', '}', ';') }),
  },
);
const randomText = fc
  .tuple(fc.array(line, { maxLength: 80 }), ending, trailing)
  .map(([lines, eol, tail]) => finish(lines, eol, tail));
const codeFile = fc.constantFrom(...Object.keys(SOURCES)).chain((path) =>
  fc
    .tuple(
      fc.constant(path),
      fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...SOURCES[path]!) }, { weight: 1, arbitrary: line }), {
        maxLength: 30,
      }),
      fc.constantFrom('', '\n'),
      ending,
      trailing,
    )
    .map(([file, pieces, gap, eol, tail]) => ({
      path: file,
      text: finish(pieces.join(`\n${gap}`).split('\n'), eol, tail),
    })),
);

function expectChunksWithinFile(chunker: Chunker, path: string, text: string): void {
  const lines = getFileLines(text);
  for (const chunk of chunker.chunk(path, text)) {
    expect(chunk.path).toBe(path);
    expect(Number.isInteger(chunk.startLine) && Number.isInteger(chunk.endLine)).toBe(true);
    expect(chunk.startLine).toBeGreaterThanOrEqual(1);
    expect(chunk.endLine).toBeGreaterThanOrEqual(chunk.startLine);
    expect(chunk.endLine).toBeLessThanOrEqual(lines.length);
    expect(chunk.text).toBe(lines.slice(chunk.startLine - 1, chunk.endLine).join('\n'));
  }
}

describe('createChunker, for any file', () => {
  it('gives line windows of text files that lie within the file and hold exactly their lines', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TEXT_PATHS), randomText, fc.boolean(), (path, text, tight) => {
        expectChunksWithinFile(tight ? small : standard, path, text);
      }),
      { numRuns: 300 },
    );
  });

  it('gives symbol chunks of parsed sources that lie within the file and hold exactly their lines', () => {
    fc.assert(
      fc.property(codeFile, fc.boolean(), ({ path, text }, tight) => {
        expectChunksWithinFile(tight ? small : standard, path, text);
      }),
      { numRuns: 300 },
    );
  });

  it('does the same for random text under a parsed language, errors and all', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(SOURCES)), randomText, (path, text) => {
        expectChunksWithinFile(small, path, text);
      }),
      { numRuns: 200 },
    );
  });
});
