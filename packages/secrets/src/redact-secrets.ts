import { findSecrets } from './find-secrets.js';
import { SECRET_RULES } from './secret-rules.js';

/** One redacted secret: the rule that found it and the 1-based line it starts on. */
export interface SecretFinding {
  readonly rule: string;
  readonly line: number;
}

/** A text with its secrets replaced, and what was replaced where. */
export interface Redaction {
  readonly text: string;
  readonly findings: readonly SecretFinding[];
}

const LINE_CONTENT = /[^\r\n\u2028\u2029]+/g;

/**
 * Replaces every secret the rules find with `[REDACTED:<rule-id>]`. The result has exactly the same line
 * breaks as the input, so line numbers (which chunks and GetFile ranges use) still point at the same lines.
 */
export function redactSecrets(text: string): Redaction {
  const spans = findSecrets(text, SECRET_RULES);
  if (spans.length === 0) return { text, findings: [] };
  const findings: SecretFinding[] = [];
  const parts: string[] = [];
  const lineAt = lineCounter(text);
  let cursor = 0;
  for (const span of spans) {
    const marker = `[REDACTED:${span.rule}]`;
    parts.push(text.slice(cursor, span.start));
    // why: a secret spanning lines (a private key) becomes one marker per line, keeping every line break.
    parts.push(text.slice(span.start, span.end).replace(LINE_CONTENT, () => marker));
    findings.push({ rule: span.rule, line: lineAt(span.start) });
    cursor = span.end;
  }
  parts.push(text.slice(cursor));
  return { text: parts.join(''), findings };
}

// why: offsets are asked in increasing order, so each newline is found once however many secrets a line holds.
function lineCounter(text: string): (offset: number) => number {
  let line = 1;
  let next = text.indexOf('\n');
  return (offset) => {
    while (next >= 0 && next < offset) {
      line += 1;
      next = text.indexOf('\n', next + 1);
    }
    return line;
  };
}
