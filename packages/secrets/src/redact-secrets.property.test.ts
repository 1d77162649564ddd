import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { redactSecrets } from './redact-secrets.js';

const newlines = (text: string): string => text.replace(/[^\r\n\u2028\u2029]/g, '');

// why: fake secrets are assembled from parts at run time, so no secret-looking literal is committed.
const alnum = (min: number, max: number) => fc.stringMatching(new RegExp(`^[A-Za-z0-9]{${min},${max}}$`));
// why: rules with an entropy floor need values that really look random, which shrunk strings ('AAAA') do not.
const random = (seed: number, length: number): string => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let state = seed;
  let out = '';
  for (let i = 0; i < length; i += 1) {
    state = (state * 1103515245 + 12345) % 2147483648;
    out += alphabet[Math.floor(state / 65536) % alphabet.length];
  }
  return out;
};
const secret = fc.oneof(
  alnum(36, 36).map((body) => ({ rule: 'github-pat', value: 'ghp_' + body })),
  alnum(24, 40).map((body) => ({ rule: 'stripe-secret-key', value: 'sk_live_' + body })),
  fc.stringMatching(/^[A-Z2-7]{16}$/).map((body) => ({ rule: 'aws-access-key-id', value: 'AKIA' + body })),
  fc
    .tuple(alnum(10, 40), alnum(10, 40), alnum(10, 40))
    .map(([a, b, c]) => ({ rule: 'jwt', value: `eyJ${a}.eyJ${b}.${c}` })),
  fc.nat().map((seed) => ({ rule: 'generic-secret-assignment', value: `password = "${random(seed, 32)}"` })),
  fc.array(fc.stringMatching(/^[A-Za-z0-9+/]{64}$/), { minLength: 1, maxLength: 6 }).map((lines) => ({
    rule: 'private-key',
    value: ['-----BEGIN OPENSSH PRIVATE ' + 'KEY-----', ...lines, '-----END OPENSSH PRIVATE ' + 'KEY-----'].join('\n'),
  })),
  fc.array(fc.stringMatching(/^[A-Za-z0-9+/]{64}$/), { minLength: 1, maxLength: 3 }).map((lines) => ({
    rule: 'private-key',
    value: ['-----BEGIN RSA PRIVATE ' + 'KEY-----', ...lines].join('\n'),
  })),
);
const filler = fc.string({
  maxLength: 40,
  unit: fc.constantFrom('a', 'b', ' ', '=', '"', ':', '\n', '\r', '{', '-', '_', 'k', 'e', 'y'),
});

describe('redactSecrets, for any input', () => {
  it('keeps every line break where it was, so line numbers still hold', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400, unit: 'binary' }), (text) => {
        const { text: redacted } = redactSecrets(text);
        expect(newlines(redacted)).toBe(newlines(text));
      }),
      { numRuns: 500 },
    );
  });

  it('removes every secret mixed into arbitrary text and points each finding at a line holding its marker', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(filler, secret), { minLength: 1, maxLength: 6 }), filler, (pieces, tail) => {
        const text = pieces.map(([before, found]) => `${before} ${found.value} `).join('') + tail;
        const { text: redacted, findings } = redactSecrets(text);
        expect(newlines(redacted)).toBe(newlines(text));
        const lines = redacted.split('\n');
        for (const [, found] of pieces) {
          const parts =
            found.rule === 'generic-secret-assignment' ? [found.value.slice(12, -1)] : found.value.split('\n');
          for (const part of parts) expect(redacted).not.toContain(part);
        }
        expect(findings.length).toBeGreaterThan(0);
        for (const finding of findings) expect(lines[finding.line - 1]).toContain(`[REDACTED:${finding.rule}]`);
      }),
      { numRuns: 300 },
    );
  });

  it('hides everything after a key block that lacks its END line, keeping the lines before it and every line break', () => {
    const key = fc.array(fc.stringMatching(/^[A-Za-z0-9+/]{64}$/), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(filler, key, fc.string({ maxLength: 200, unit: 'binary' }), (before, lines, after) => {
        const head = `${before}\n`;
        const text = head + ['-----BEGIN EC PRIVATE ' + 'KEY-----', ...lines].join('\n') + after;
        const { text: redacted } = redactSecrets(text);
        expect(newlines(redacted)).toBe(newlines(text));
        expect(redacted.startsWith(head)).toBe(true);
        for (const line of redacted.slice(head.length).split(/\r\n|[\r\n\u2028\u2029]/))
          expect(['', '[REDACTED:private-key]']).toContain(line);
      }),
      { numRuns: 300 },
    );
  });
});
