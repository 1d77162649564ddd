import { codeTokens } from './code-tokens.js';
import { STOPWORDS } from './stopwords.js';

/** What a question says about code: weighted terms, identifiers, path hints and whether it asks for tests or docs. */
export interface QueryAnalysis {
  readonly terms: ReadonlyMap<string, number>;
  /** Terms of the first line (an issue title, a commit subject), which usually names the topic best. */
  readonly subjectTerms: ReadonlyMap<string, number>;
  readonly identifiers: readonly string[];
  readonly pathHints: readonly string[];
  readonly wantsTests: boolean;
  readonly wantsDocs: boolean;
}

const FENCED_BLOCK = /```[\s\S]*?```|`[^`\n]+`/g;
// why: the look-behind anchors matches at a word start; without it a long token makes the scan quadratic.
const FILE_PATH =
  /(?<![\w./\\-])(?:\.{0,2}[/\\])?(?:[\w.-]+[/\\])*[\w.-]+\.(?:py|pyi|go|js|jsx|mjs|cjs|ts|tsx|java|kt|rs|c|h|cc|cpp|hpp|cs|rb|php|swift|scala|md|rst|ya?ml|toml|json)\b/g;
const FILE_EXTENSION =
  /^(py|pyi|go|js|jsx|mjs|cjs|ts|tsx|java|kt|rs|c|h|cc|cpp|hpp|cs|rb|php|swift|scala|md|rst|ya?ml|toml|json|txt|cfg|ini)$/;
const SUBJECT_SCOPE = /^\s*([\w.-]+(?:\/[\w.-]+)*(?:\s*,\s*[\w.-]+(?:\/[\w.-]+)*)*):\s/;
const MAX_QUERY_CHARS = 64 * 1024;
const DOTTED_CHAIN = /\b[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\b/g;
const CALL = /\b([A-Za-z_]\w*)\s*\(/g;
const WORD = /\b[A-Za-z_]\w*\b/g;
const FRAME_FUNCTION = /\bline \d+, in ([A-Za-z_]\w*)/g;
const TEST_WORDS = /\b(tests?|testing|pytest|unittest|spec|fixtures?)\b/i;
const TEST_REQUEST =
  /\b(where|which|find|show)\b[^.?!\n]{0,40}\b(tests?|spec)\b|\b(the|a|failing|flaky|broken) (unit |integration )?tests? (for|of|that)\b/i;
const DOC_REQUEST = /\b(where|which|find|show)\b[^.?!\n]{0,40}\b(docs?|documentation|readme)\b/i;
const DOC_WORDS = /\b(docs?|documentation|readme|docstring|tutorial)\b/i;

/** Reads a free-text question (issue, commit message, stack trace) into signals for ranking. */
export function analyzeQuery(fullText: string): QueryAnalysis {
  const text = fullText.length > MAX_QUERY_CHARS ? fullText.slice(0, MAX_QUERY_CHARS) : fullText;
  const firstLine = text.trimStart().split('\n', 1)[0] ?? '';
  return {
    terms: termCounts(text),
    subjectTerms: firstLine.length < text.trim().length ? termCounts(firstLine) : new Map(),
    identifiers: [...codeIdentifiers(text)],
    pathHints: [...pathHints(text)],
    // why: issue bodies and commit messages mention tests in passing ("added a test", pytest output);
    // only a title about tests, or an explicit request, asks for test files.
    wantsTests: TEST_WORDS.test(firstLine) || TEST_REQUEST.test(text),
    wantsDocs: DOC_WORDS.test(firstLine) || DOC_REQUEST.test(text),
  };
}

function termCounts(text: string): Map<string, number> {
  const terms = new Map<string, number>();
  for (const token of codeTokens(text)) {
    if (STOPWORDS.has(token) || /^\d/.test(token)) continue;
    terms.set(token, (terms.get(token) ?? 0) + 1);
  }
  return terms;
}

function codeIdentifiers(text: string): Set<string> {
  const found = new Set<string>();
  const add = (word: string): void => {
    if (word.length > 2 && !STOPWORDS.has(word.toLowerCase())) found.add(word);
  };
  for (const block of text.match(FENCED_BLOCK) ?? []) for (const word of block.match(WORD) ?? []) add(word);
  for (const chain of text.match(DOTTED_CHAIN) ?? []) {
    if (/^\w+\.(py|go|js|ts|rs|java|md|rst|txt|com|org|io)$/i.test(chain)) continue;
    for (const word of chain.split('.')) add(word);
  }
  for (const [, name] of text.matchAll(CALL)) add(name!);
  for (const [, name] of text.matchAll(FRAME_FUNCTION)) add(name!);
  for (const word of text.match(WORD) ?? []) if (looksLikeCode(word)) add(word);
  return found;
}

function looksLikeCode(word: string): boolean {
  return (
    /[a-z0-9]_[a-z0-9]/i.test(word) || /^_/.test(word) || /[a-z][A-Z]/.test(word) || /^[A-Z][a-z]+[A-Z]/.test(word)
  );
}

function pathHints(text: string): Set<string> {
  const hints = new Set<string>();
  // why: commit subjects conventionally name the package first ("caddyhttp: …", "net/http: …").
  const scope = SUBJECT_SCOPE.exec(text);
  if (scope) for (const part of scope[1]!.split(',')) hints.add(part.trim().replace(/^\.?\//, ''));
  for (const path of text.match(FILE_PATH) ?? []) {
    const normalized = path.replace(/\\/g, '/').replace(/^\.?\//, '');
    if (normalized.includes('/') || /\.\w+$/.test(normalized)) hints.add(normalized);
  }
  for (const chain of text.match(DOTTED_CHAIN) ?? []) {
    const segments = chain.split('.');
    const last = segments[segments.length - 1]!;
    if (FILE_EXTENSION.test(last)) continue;
    if (segments.length >= 2 && segments.every((segment) => /^[a-z_][a-z0-9_]*$/.test(segment))) {
      hints.add(segments.join('/'));
    }
  }
  return hints;
}
