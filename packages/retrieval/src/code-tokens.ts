// why: the ASCII pattern is several times faster; text with other characters takes the Unicode one, which
// splits where SQLite's unicode61 tokenizer does (letters, marks and digits are word characters).
const ASCII_WORD = /[A-Za-z_$][\w$]*/g;
const UNICODE_WORD = /[\p{L}_$][\p{L}\p{M}\p{N}_$]*/gu;
const NON_ASCII = /[^\x00-\x7F]/;
const CAMEL_BOUNDARY = /([\p{Ll}\p{N}])(\p{Lu})|(\p{Lu})(\p{Lu}\p{Ll})/gu;
const MAX_TOKEN_LENGTH = 64;

/** Splits one identifier into its lowercase parts: `getHTTPResponse_code` → get, http, response, code. */
export function identifierParts(identifier: string): string[] {
  return identifier
    .replace(CAMEL_BOUNDARY, (_match, a: string, b: string, c: string, d: string) => (a ? `${a} ${b}` : `${c} ${d}`))
    .split(/[\s_$]+/)
    .map((part) => part.toLowerCase())
    .filter((part) => part.length > 1 && !/^\d+$/.test(part));
}

/** Code-aware tokens of a text: each identifier whole (lowercased) and its camelCase and snake_case parts. */
export function codeTokens(text: string): string[] {
  const tokens: string[] = [];
  // why: `match` with a global pattern returns plain strings, far cheaper than match objects.
  for (const word of text.match(NON_ASCII.test(text) ? UNICODE_WORD : ASCII_WORD) ?? []) {
    if (word.length > MAX_TOKEN_LENGTH) continue;
    let forWord = wordCache.get(word);
    if (!forWord) {
      forWord = wordTokens(word);
      if (wordCache.size > 200_000) wordCache.clear();
      wordCache.set(word, forWord);
    }
    for (const token of forWord) tokens.push(token);
  }
  return tokens;
}

// why: most words of a repository repeat; their tokens are computed once.
const wordCache = new Map<string, string[]>();

function wordTokens(word: string): string[] {
  const whole = word.toLowerCase().replace(/\$/g, '');
  const parts = identifierParts(word);
  return whole.length > 1 && !(parts.length === 1 && parts[0] === whole) ? [whole, ...parts] : parts;
}

/** Tokens of a repository path: directory and file-name segments, split like identifiers. */
export function pathTokens(path: string): string[] {
  return codeTokens(path.replace(/[/.\\-]/g, ' '));
}
