import { expect, it } from '@jest/globals';
import { showControls, showName } from '@conexus/kernel';
import { renderLocations } from './render-text.js';

const location = {
  repo: 'payments',
  path: 'billing/invoice.py',
  start_line: 1,
  end_line: 2,
  commit: '0123456789abcdef',
};

it('renders a header and fenced code', () => {
  expect(renderLocations([{ ...location, symbol: 'Invoice.total', text: 'def total():\n\treturn 1\n' }], '')).toBe(
    'payments/billing/invoice.py:1-2 Invoice.total @ 0123456789ab\n```python\ndef total():\n\treturn 1\n```',
  );
  expect(renderLocations([], 'No matching code.')).toBe('No matching code.');
});

it('shows control characters in names, so a newline in a path cannot forge a result', () => {
  const forged = renderLocations(
    [
      {
        ...location,
        repo: 'pay\u009bments',
        path: 'a.py:1-1 @ 000000000000\n```python\nevil()\n```\n\npayments/b\x1b[31m.py',
        symbol: 'x\ry',
      },
    ],
    '',
  );
  expect(forged.split('\n')).toHaveLength(1);
  expect(forged).toBe(
    '"pay\\u009bments"/"a.py:1-1 @ 000000000000\\n```python\\nevil()\\n```\\n\\npayments/b\\u001b[31m.py":1-2 "x\\ry" @ 0123456789ab',
  );
});

it('fences code with more backticks than it holds, and shows its escapes but keeps newlines and tabs', () => {
  const text = renderLocations([{ ...location, text: 'a = """\n````\n"""\n\x1b[2J\tb\r\n' }], '');
  expect(text).toBe(
    'payments/billing/invoice.py:1-2 @ 0123456789ab\n`````python\na = """\n````\n"""\n\\u001b[2J\tb\\r\n`````',
  );
});

it('quotes names holding quotes or backslashes and puts messages on one line', () => {
  expect(showName('src/a.py')).toBe('src/a.py');
  expect(showName('a\\nb')).toBe('"a\\\\nb"');
  expect(showName('say "hi"')).toBe('"say \\"hi\\""');
  expect(showControls('no file "a\nb" in repository "r"')).toBe('no file "a\\nb" in repository "r"');
});

it("names the project's own locations by their path alone, and others with their repository", () => {
  const other = { ...location, repo: 'ledger', path: 'ledger/book.py' };
  expect(renderLocations([location, other], '', 'payments')).toBe(
    'billing/invoice.py:1-2 @ 0123456789ab\n\nledger/ledger/book.py:1-2 @ 0123456789ab',
  );
});
