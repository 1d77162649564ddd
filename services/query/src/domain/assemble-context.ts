/** A ranked piece of code with its text. */
export interface ContextPiece {
  readonly repo: string;
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly score: number;
  readonly text: string;
}

/** Rough tokens of a text for budgeting: about four characters per token for code. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * Fits ranked pieces into a token budget (0 means none: pieces pass unchanged): pieces of one file that overlap or touch are merged (keeping
 * the better rank), lower-ranked pieces are dropped once the budget is spent, and a piece that only
 * partly fits is cut at a line boundary, never mid-line.
 */
export function assembleContext<T extends ContextPiece>(pieces: readonly T[], maxTokens: number): { pieces: T[]; tokens: number } {
  // why: without a budget the caller asked for ranked results as they are, the same as the CLI returns.
  if (maxTokens <= 0) return { pieces: [...pieces], tokens: pieces.reduce((sum, piece) => sum + estimateTokens(piece.text), 0) };
  const merged: T[] = [];
  for (const piece of pieces) {
    const index = merged.findIndex((kept) => kept.repo === piece.repo && kept.path === piece.path && piece.startLine <= kept.endLine + 1 && kept.startLine <= piece.endLine + 1);
    if (index < 0) merged.push(piece);
    else merged[index] = mergePieces(merged[index]!, piece);
  }
  const kept: T[] = [];
  let tokens = 0;
  for (const piece of merged) {
    const cost = estimateTokens(piece.text);
    if (tokens + cost <= maxTokens) {
      kept.push(piece);
      tokens += cost;
      continue;
    }
    const cut = cutToBudget(piece, maxTokens - tokens);
    if (cut) {
      kept.push(cut);
      tokens += estimateTokens(cut.text);
    }
    break;
  }
  return { pieces: kept, tokens };
}

function mergePieces<T extends ContextPiece>(first: T, second: T): T {
  const lines = new Map<number, string>();
  for (const piece of [second, first]) piece.text.replace(/\n$/, '').split('\n').forEach((line, offset) => lines.set(piece.startLine + offset, line));
  const startLine = Math.min(first.startLine, second.startLine);
  const endLine = Math.max(first.endLine, second.endLine);
  const text = Array.from({ length: endLine - startLine + 1 }, (_, offset) => lines.get(startLine + offset) ?? '').join('\n');
  return { ...first, startLine, endLine, score: Math.max(first.score, second.score), text: `${text}\n` };
}

function cutToBudget<T extends ContextPiece>(piece: T, budget: number): T | null {
  const lines = piece.text.replace(/\n$/, '').split('\n');
  let used = 0;
  let count = 0;
  while (count < lines.length && used + estimateTokens(`${lines[count]}\n`) <= budget) used += estimateTokens(`${lines[count++]}\n`);
  if (count === 0) return null;
  return { ...piece, endLine: piece.startLine + count - 1, text: `${lines.slice(0, count).join('\n')}\n` };
}
