import { beforeAll, describe, expect, it } from '@jest/globals';
import { createChunker, type Chunker } from './create-chunker.js';

let chunker: Chunker;
beforeAll(async () => {
  chunker = await createChunker({ maxTokens: 120, minTokens: 10 });
});

const symbolsOf = (path: string, text: string) =>
  chunker
    .chunk(path, text)
    .filter((chunk) => chunk.symbol)
    .map((chunk) => `${chunk.kind} ${chunk.symbol}`);

const SAMPLES: Record<string, [string, string[]]> = {
  'a.py': [
    'import os\n\nclass Repo:\n    """Docs."""\n\n    def fetch(self, url):\n        return url\n\n    @property\n    def size(self):\n        return 1\n\ndef helper(x):\n    return x\n',
    ['class Repo', 'method Repo.fetch', 'method Repo.size', 'function helper'],
  ],
  'a.ts': [
    'export interface Store {\n  get(id: string): string;\n}\nexport class Cache {\n  private map = new Map();\n  lookup(key: string) {\n    return this.map.get(key);\n  }\n}\nexport const arrow = (x: number) => x * 2;\n',
    ['interface Store', 'method Store.get', 'class Cache', 'method Cache.lookup', 'function arrow'],
  ],
  'a.tsx': ['export function Header() {\n  return <h1>Hi</h1>;\n}\n', ['function Header']],
  'a.js': [
    'class Animal {\n  speak() {\n    return 1;\n  }\n}\nfunction helper() {}\n',
    ['class Animal', 'method Animal.speak', 'function helper'],
  ],
  'a.go': [
    'package geo\n\ntype Rect struct{ W, H float64 }\n\nfunc (r *Rect) Area() float64 {\n\treturn r.W * r.H\n}\n\nfunc New() *Rect { return &Rect{} }\n',
    ['struct Rect', 'method Rect.Area', 'function New'],
  ],
  'A.java': ['class Shop {\n  int total() {\n    return 1;\n  }\n}\n', ['class Shop', 'method Shop.total']],
  'a.rs': [
    'struct Point { x: i32 }\nimpl Point {\n    fn norm(&self) -> i32 {\n        self.x\n    }\n}\n',
    ['struct Point', 'impl Point', 'method Point.norm'],
  ],
  'a.c': ['struct node { int v; };\nint add(int a, int b) {\n  return a + b;\n}\n', ['struct node', 'function add']],
  'a.cpp': [
    'namespace geo {\nclass Circle {\n public:\n  double area() const { return 3.14; }\n};\n}\n',
    ['module geo', 'class geo.Circle', 'method geo.Circle.area'],
  ],
  'a.cs': [
    'namespace App {\n  public class User {\n    public string Name() { return "x"; }\n  }\n}\n',
    ['module App', 'class App.User', 'method App.User.Name'],
  ],
  'a.rb': [
    'module Shop\n  class Cart\n    def empty?\n      true\n    end\n  end\nend\n',
    ['module Shop', 'class Shop.Cart', 'method Shop.Cart.empty?'],
  ],
  'a.php': [
    '<?php\nclass Order {\n  public function total() {\n    return 1;\n  }\n}\n',
    ['class Order', 'method Order.total'],
  ],
};

describe('createChunker', () => {
  it.each(Object.entries(SAMPLES))('finds qualified symbols in %s', (path, [text, expected]) => {
    expect(symbolsOf(path, text)).toEqual(expect.arrayContaining(expected));
  });

  it('covers every non-blank line exactly once, with 1-based inclusive ranges', () => {
    const [text] = SAMPLES['a.py']!;
    const chunks = chunker.chunk('a.py', text);
    const lines = text.split('\n');
    const covered = new Map<number, number>();
    for (const chunk of chunks) {
      expect(chunk.text).toBe(lines.slice(chunk.startLine - 1, chunk.endLine).join('\n'));
      for (let line = chunk.startLine; line <= chunk.endLine; line += 1)
        covered.set(line, (covered.get(line) ?? 0) + 1);
    }
    lines.forEach((line, index) => {
      if (line.trim()) expect(covered.get(index + 1)).toBe(1);
    });
  });

  it('splits a large function into bounded parts that keep its name', () => {
    const body = Array.from({ length: 200 }, (_, i) => `    total += compute_value(${i}, factor)`).join('\n');
    const chunks = chunker.chunk('big.py', `def huge(factor):\n    total = 0\n${body}\n    return total\n`);
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(chunk.symbol).toBe('huge');
      expect(chunk.text.length).toBeLessThanOrEqual(120 * 4 + 80);
    }
  });

  it('merges tiny neighbours and uses line windows for text and unknown languages', () => {
    const markdown = Array.from({ length: 100 }, (_, i) => `Line ${i} of the guide explains a setting.`).join('\n');
    const chunks = chunker.chunk('docs/guide.md', markdown);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((chunk) => chunk.kind === 'text' && chunk.symbol === null)).toBe(true);
    expect(chunker.chunk('config.yaml', 'a: 1\nb: 2\n')).toHaveLength(1);
  });

  it.each([
    ['config.yaml', 'a: 1\nb: 2\n', 2],
    ['notes.md', '# Title\n\nLast line.\n\n', 4],
    ['notes.txt', 'one\r\ntwo\r\n', 2],
    ['a.py', 'x = 1\n\n', 2],
    ['a.py', 'def f():\n    return 1\n', 2],
  ])('ends the last chunk of %s on its last line, as GetFile counts lines', (path, text, lastLine) => {
    expect(chunker.chunk(path, text).at(-1)?.endLine).toBe(lastLine);
  });

  it('still chunks files with syntax errors', () => {
    const chunks = chunker.chunk('broken.py', 'def ok():\n    return 1\n\ndef broken(:\n    pass\n');
    expect(chunks.map((chunk) => chunk.symbol)).toContain('ok');
  });
});
