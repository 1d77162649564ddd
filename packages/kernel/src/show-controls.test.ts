import { describe, expect, it } from '@jest/globals';
import { showControls, showName } from './show-controls.js';

describe('showName and showControls', () => {
  it('leaves plain names alone and quotes names that need escapes', () => {
    expect(showName('src/app.ts')).toBe('src/app.ts');
    expect(showName('a\nb')).toBe('"a\\nb"');
    expect(showName('x\u001b[31my')).toBe('"x\\u001b[31my"');
    expect(showName('say "hi"\\')).toBe('"say \\"hi\\"\\\\"');
  });

  it('shows C0, DEL, C1, line separators and bidi overrides, keeping what it is told to', () => {
    expect(showControls('a\tb\nc\u009b\u2028\u202e\u007f')).toBe('a\\tb\\nc\\u009b\\u2028\\u202e\\u007f');
    expect(showControls('a\tb\nc\u001b', '\t\n')).toBe('a\tb\nc\\u001b');
  });
});
