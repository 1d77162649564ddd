import { describe, expect, it } from '@jest/globals';
import { fileLines } from './file-lines.js';

describe('fileLines', () => {
  it('counts lines as GetFile does: a final newline ends the last line, and a carriage return stays on it', () => {
    expect(fileLines('')).toEqual([]);
    expect(fileLines('\n')).toEqual(['']);
    expect(fileLines('a')).toEqual(['a']);
    expect(fileLines('a\nb\n')).toEqual(['a', 'b']);
    expect(fileLines('a\n\n')).toEqual(['a', '']);
    expect(fileLines('a\r\nb')).toEqual(['a\r', 'b']);
  });
});
