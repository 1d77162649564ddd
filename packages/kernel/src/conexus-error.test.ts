import { describe, expect, it } from '@jest/globals';
import { ConexusError } from './conexus-error.js';

describe('ConexusError.from', () => {
  it('keeps typed errors and wraps the rest as internal', () => {
    const typed = new ConexusError('not_found', 'no repo x');
    expect(ConexusError.from(typed)).toBe(typed);
    const wrapped = ConexusError.from(new Error('boom'));
    expect(wrapped.code).toBe('internal');
    expect(wrapped.message).toBe('boom');
    expect(ConexusError.from('text').message).toBe('text');
  });
});
