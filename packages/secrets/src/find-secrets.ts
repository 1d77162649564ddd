import type { SecretRule } from './secret-rule.js';
import { shannonEntropy } from './shannon-entropy.js';

/** Where a secret lies in a text: code-unit offsets `[start, end)` and the rule that found it. */
export interface SecretSpan {
  readonly rule: string;
  readonly start: number;
  readonly end: number;
}

const MARKER = '[REDACTED:';

/** Finds what the rules match, as sorted, non-overlapping spans; overlapping matches merge under the first rule. */
export function findSecrets(text: string, rules: readonly SecretRule[]): SecretSpan[] {
  let lower: string | undefined;
  const found: { rule: string; start: number; end: number; order: number }[] = [];
  rules.forEach((rule, order) => {
    // why: lower-casing once and testing keywords natively costs less than a case-insensitive regex over every file.
    if (rule.keywords && !rule.keywords.some((keyword) => (lower ??= text.toLowerCase()).includes(keyword))) return;
    for (const match of text.matchAll(rule.regex)) {
      const whole: [number, number] = [match.index ?? 0, (match.index ?? 0) + match[0].length];
      const [start, end] = match.indices?.groups?.['secret'] ?? whole;
      if (end <= start) continue;
      const secret = text.slice(start, end);
      if (rule.entropy !== undefined && shannonEntropy(secret) < rule.entropy) continue;
      if (rule.allow?.some((allowed) => allowed.test(secret))) continue;
      if (rule.stopwords?.some((word) => secret.toLowerCase().includes(word))) continue;
      // why: text redacted once must come out of a second pass unchanged.
      if (secret.includes(MARKER)) continue;
      // why: a block cut off before its end marker (a truncated key) leaves no sure end, so all that follows goes.
      const until = match.indices?.groups?.['unterminated'] ? text.length : end;
      found.push({ rule: rule.id, start, end: until, order });
    }
  });
  found.sort((a, b) => a.start - b.start || b.end - a.end || a.order - b.order);
  const spans: SecretSpan[] = [];
  for (const span of found) {
    const last = spans.at(-1);
    // why: a partial overlap merges rather than drops, so no character any rule matched is left readable.
    if (last && span.start < last.end) {
      if (span.end > last.end) spans[spans.length - 1] = { ...last, end: span.end };
    } else {
      spans.push({ rule: span.rule, start: span.start, end: span.end });
    }
  }
  return spans;
}
