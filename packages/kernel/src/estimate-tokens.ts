/** Rough tokens of a text for chunk sizes and budgets: about four characters per token for code. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
