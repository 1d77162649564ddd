import { beforeAll, describe, expect, it } from '@jest/globals';
import { createChunker, type Chunker } from './create-chunker.js';

let chunker: Chunker;
beforeAll(async () => {
  chunker = await createChunker({ maxTokens: 400, minTokens: 10 });
});

/** The chunk holding the first line that contains `marker`. */
const chunkWith = (path: string, text: string, marker: string) => {
  const line = text.split('\n').findIndex((row) => row.includes(marker)) + 1;
  return chunker.chunk(path, text).find((chunk) => chunk.startLine <= line && line <= chunk.endLine);
};

// Each row: a file whose line holding DOC is a doc comment, attribute or decorator of `owner`, written after
// another definition that must not take it.
const ATTACHED: [string, string, string][] = [
  [
    'jsdoc.ts',
    'function before() {\n  return 1;\n}\n/** DOC: adds. */\nexport function add() {\n  return 2;\n}\n',
    'add',
  ],
  [
    'decorated.ts',
    'class Api {\n  ready = true;\n  /** DOC: lists. */\n  @Get()\n  list() {\n    return [];\n  }\n}\n',
    'Api.list',
  ],
  ['jsdoc.js', 'function before() {}\n/**\n * DOC: adds.\n */\nfunction add() {}\n', 'add'],
  [
    'Shop.java',
    'class Shop {\n  int before() { return 1; }\n  /** DOC: totals. */\n  @Override\n  int total() { return 2; }\n}\n',
    'Shop.total',
  ],
  ['point.rs', 'fn before() {}\n/// DOC: a point.\n#[derive(Debug)]\nstruct Point { x: i32 }\n', 'Point'],
  ['attr.rs', 'fn before() {}\n#[cfg(test)] // DOC\nfn only_in_tests() {}\n', 'only_in_tests'],
  [
    'impl.rs',
    'struct P;\nimpl P {\n    fn before(&self) {}\n    /// DOC: norm.\n    #[inline]\n    fn norm(&self) {}\n}\n',
    'P.norm',
  ],
  [
    'User.cs',
    'class User {\n  int Before() { return 1; }\n  /// <summary>DOC</summary>\n  [Obsolete]\n  int Name() { return 2; }\n}\n',
    'User.Name',
  ],
  ['doc.go', 'package geo\n\nfunc before() {}\n// Area DOC computes.\nfunc Area() int { return 1 }\n', 'Area'],
  ['type.go', 'package geo\n\nfunc before() {}\n// Rect DOC is a box.\ntype Rect struct{ W int }\n', 'Rect'],
  ['deco.py', 'def before():\n    return 1\n# DOC: cached.\n@cache\ndef cached():\n    return 2\n', 'cached'],
  [
    'method.py',
    'class Repo:\n    def before(self):\n        return 1\n    @property  # DOC\n    def size(self):\n        return 2\n',
    'Repo.size',
  ],
  ['add.c', 'int before(void) { return 1; }\n/* DOC: adds. */\nint add(int a) { return a; }\n', 'add'],
  ['add.cpp', 'int before() { return 1; }\n// DOC: adds.\nint add(int a) { return a; }\n', 'add'],
  ['cart.rb', 'class Cart\n  def before\n  end\n  # DOC: empties.\n  def empty\n  end\nend\n', 'Cart.empty'],
  [
    'order.php',
    '<?php\nclass Order {\n  function before() {}\n  /** DOC: totals. */\n  function total() {}\n}\n',
    'Order.total',
  ],
];

describe('leading comments, attributes and decorators', () => {
  it.each(ATTACHED.map(([path, text, owner]) => [path, owner, text]))(
    '%s: the DOC line belongs to %s',
    (path, owner, text) => {
      const chunk = chunkWith(path, text, 'DOC');
      expect(chunk?.symbol).toBe(owner);
      expect(chunk?.signature).not.toContain('DOC');
    },
  );

  it.each([
    ['detached.go', 'package geo\n\nfunc before() {}\n\n// DOC: a section note.\n\nfunc Area() int { return 1 }\n'],
    ['trailing.ts', 'function before() {\n  return 1;\n} // DOC: about before\nfunction add() {}\n'],
    ['inner.rs', 'fn before() {}\n//! DOC: the crate.\nfn add() {}\n'],
  ])('%s: a comment apart from the next definition stays out of it', (path, text) => {
    const chunk = chunkWith(path, text, 'DOC');
    expect(chunk?.symbol).not.toBe(path.endsWith('.go') ? 'Area' : 'add');
  });

  it('keeps a grouped Go type declaration per type, without the shared doc comment', () => {
    const text = 'package geo\n\n// DOC: shapes.\ntype (\n\tA struct{}\n\tB struct{}\n)\n';
    expect(chunkWith('group.go', text, 'A struct')?.symbol).toBe('A');
    expect(chunkWith('group.go', text, 'B struct')?.symbol).toBe('B');
  });
});

// Each row: a definition whose doc comment alone fills more than a chunk; CODE marks its first line of code.
const LONG_DOCS: [string, string][] = [
  [
    'long.rs',
    `${'/// DOC: a line of the long documentation of this function.\n'.repeat(40)}#[inline]\nfn add() {} // CODE\n`,
  ],
  ['plain.rs', `${'/// DOC: a line of the long documentation of this function.\n'.repeat(40)}fn add() {} // CODE\n`],
  [
    'long.ts',
    `/**\n${' * DOC: a line of the long documentation of this function.\n'.repeat(40)} */\nfunction add() {} // CODE\n`,
  ],
  [
    'long.py',
    `${'# DOC: a line of the long documentation of this function.\n'.repeat(40)}@cache\ndef add(): # CODE\n    pass\n`,
  ],
];

describe('a definition split into several chunks', () => {
  it.each(LONG_DOCS)('%s: its code chunk starts where its docs end', (path, text) => {
    const chunks = chunker.chunk(path, text).filter((chunk) => chunk.symbol === 'add');
    const code = chunkWith(path, text, 'CODE')!;
    expect(chunks.length).toBeGreaterThan(1);
    expect(code.text).not.toContain('DOC');
    expect(code.text.split('\n')[0]).toMatch(/^(#\[inline\]|fn|function|@cache)/);
    for (const chunk of chunks.filter((part) => part.startLine !== code.startLine))
      expect(chunk.text).not.toContain('CODE');
  });
});
