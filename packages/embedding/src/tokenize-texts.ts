/** The part of a model's tokenizer used here: text to ids, special tokens included. */
export interface IdTokenizer {
  encode(text: string): number[];
}

// why: indentation and long whitespace runs cost no tokens, so a token spans many characters at worst;
// cutting far beyond the limit only spares the tokenizer pathological texts (minified files, data).
const CHARS_PER_TOKEN_BOUND = 32;

/**
 * Tokenizes each text once, keeping at most `maxTokens` ids: the head of the text, then the tokenizer's
 * closing special token (e.g. [SEP]), as the model saw it in training.
 */
export function tokenizeTexts(tokenizer: IdTokenizer, texts: readonly string[], maxTokens: number): number[][] {
  return texts.map((text) => {
    const ids = tokenizer.encode(text.slice(0, maxTokens * CHARS_PER_TOKEN_BOUND));
    return ids.length <= maxTokens ? ids : [...ids.slice(0, maxTokens - 1), ids[ids.length - 1]!];
  });
}
