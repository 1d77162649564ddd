import { expect, it } from '@jest/globals';
import type { IndexSummary, SearchResult } from '@conexus/engine';
import { formatResults, formatSummary, summaryJson } from './format-results.js';

const TERMINAL_CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/u;

function result(fields: Partial<SearchResult>): SearchResult {
  return {
    repo: 'payments',
    path: 'billing/invoice.py',
    startLine: 1,
    endLine: 2,
    symbol: null,
    kind: 'function',
    score: 0.5,
    ...fields,
  };
}

it('prints ordinary results as they are', () => {
  const text = formatResults(
    { results: [result({ symbol: 'Invoice.total', text: 'def total(self):\n\treturn 1' })], tookMs: 3 },
    true,
  );
  expect(text).toBe(
    ' 1. payments:billing/invoice.py:1-2  Invoice.total  (0.5)\n      def total(self):\n      \treturn 1\n(1 results, 3 ms)\n',
  );
});

it('shows control characters and escapes in names and code instead of sending them to the terminal', () => {
  const hostile = result({
    repo: 're\u009bpo',
    path: 'evil\x1b[31m.py\n 2. forged.py:1-1  (9)',
    symbol: 'f\x07',
    text: 'ok = "\\n"\n\x1b]0;owned\x07\rclear\u2028',
  });
  const text = formatResults({ results: [hostile], tookMs: 1 }, true);
  expect(text).not.toMatch(TERMINAL_CONTROLS);
  expect(text.split('\n')).toEqual([
    ' 1. "re\\u009bpo":"evil\\u001b[31m.py\\n 2. forged.py:1-1  (9)":1-2  "f\\u0007"  (0.5)',
    '      ok = "\\n"',
    '      \\u001b]0;owned\\u0007\\rclear\\u2028',
    '(1 results, 1 ms)',
    '',
  ]);
});

it('quotes a name holding a quote or backslash, so it never reads like an escaped one', () => {
  expect(formatResults({ results: [result({ path: 'a\\nb.py' })], tookMs: 1 }, false)).toContain(
    ' 1. "a\\\\nb.py":1-2',
  );
  expect(formatResults({ results: [result({ path: 'a\nb.py' })], tookMs: 1 }, false)).toContain(' 1. "a\\nb.py":1-2');
});

it('shows control characters in the indexed repository name', () => {
  const summary = {
    repo: 'x\x1b[2J',
    commit: null,
    filesSeen: 1,
    filesIndexed: 1,
    filesUnchanged: 0,
    filesDeleted: 0,
    skipped: {},
    redactions: [],
    chunks: 1,
    chunksWritten: 1,
    bytesIndexed: 1,
    embedded: 0,
    seconds: 0,
    embedSeconds: 0,
    dense: null,
  } satisfies IndexSummary;
  expect(formatSummary(summary).split('\n')[0]).toBe('indexed "x\\u001b[2J"');
});

const lexical: IndexSummary = {
  repo: 'app',
  commit: 'abcdef0123456789',
  filesSeen: 3,
  filesIndexed: 3,
  filesUnchanged: 0,
  filesDeleted: 0,
  skipped: {},
  redactions: [],
  chunks: 40,
  chunksWritten: 40,
  bytesIndexed: 900,
  embedded: 0,
  seconds: 0.5,
  embedSeconds: 0,
  dense: new Promise(() => {}),
};

it('counts what the background embedding did, and says when it was stopped before the end', () => {
  expect(formatSummary(lexical, { embedded: 30, seconds: 1.5, complete: true }).split('\n').slice(3)).toEqual([
    '  chunks: 40 (40 written, 30 embedded)',
    '  time: 0.50 s (embedding 1.50 s)',
    '',
  ]);
  expect(formatSummary(lexical, { embedded: 12, seconds: 1, complete: false })).toContain(
    '  vectors: stopped before the end; the lexical index is searchable\n',
  );
});

it('puts the embedding outcome in the JSON summary instead of its promise', () => {
  const dense = { embedded: 30, seconds: 1.5, complete: true };
  expect(JSON.parse(JSON.stringify(summaryJson(lexical, dense)))).toMatchObject({ repo: 'app', chunks: 40, dense });
  expect(JSON.parse(JSON.stringify(summaryJson({ ...lexical, dense: null }, null)))).toMatchObject({ dense: null });
});
