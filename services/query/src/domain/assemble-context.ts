import { estimateTokens } from '@conexus/kernel';

/** A ranked piece of code with its text. */
export interface ContextPiece {
  readonly repo: string;
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly score: number;
  readonly text: string;
  /** The whole symbol this piece is a part of, taken instead of the piece when it fits. */
  readonly expansion?: { readonly startLine: number; readonly endLine: number; readonly text: string };
}

/**
 * Fits ranked pieces into a token budget (0 means none: pieces pass unchanged). In rank order, a piece
 * is taken whole, as its enclosing symbol when that fits the room left and costs at most a quarter of the
 * budget (measured: larger expansions crowd out other files), or merged into an overlapping or
 * touching piece of the same file already taken; the first piece that does not fit is cut at a line
 * boundary (never mid-line) and ends the answer.
 */
export function assembleContext<T extends ContextPiece>(
  pieces: readonly T[],
  maxTokens: number,
): { pieces: T[]; tokens: number } {
  // why: without a budget the caller asked for ranked results as they are, the same as the CLI returns.
  if (maxTokens <= 0)
    return {
      pieces: pieces.map(withoutExpansion),
      tokens: pieces.reduce((sum, piece) => sum + estimateTokens(piece.text), 0),
    };
  const kept: T[] = [];
  let tokens = 0;
  for (const piece of pieces) {
    const room = maxTokens - tokens;
    if (room <= 0) break;
    const expansion = piece.expansion;
    const chosen = withoutExpansion(
      expansion && estimateTokens(expansion.text) <= Math.min(room, maxTokens / 4, 2 * estimateTokens(piece.text))
        ? { ...piece, ...expansion }
        : piece,
    );
    const index = kept.findIndex(
      (other) =>
        other.repo === chosen.repo &&
        other.path === chosen.path &&
        chosen.startLine <= other.endLine + 1 &&
        other.startLine <= chosen.endLine + 1,
    );
    if (index >= 0) {
      const merged = mergePieces(kept[index]!, chosen);
      const added = estimateTokens(merged.text) - estimateTokens(kept[index]!.text);
      if (added <= room) {
        kept[index] = merged;
        tokens += added;
      }
      continue;
    }
    const cost = estimateTokens(chosen.text);
    if (cost <= room) {
      kept.push(chosen);
      tokens += cost;
      continue;
    }
    const cut = cutToBudget(chosen, room);
    if (cut) {
      kept.push(cut);
      tokens += estimateTokens(cut.text);
    }
    break;
  }
  return { pieces: kept, tokens };
}

function withoutExpansion<T extends ContextPiece>(piece: T): T {
  if (piece.expansion === undefined) return piece;
  const { expansion: _expansion, ...rest } = piece;
  return rest as T;
}
function mergePieces<T extends ContextPiece>(first: T, second: T): T {
  const lines = new Map<number, string>();
  for (const piece of [second, first])
    piece.text
      .replace(/\n$/, '')
      .split('\n')
      .forEach((line, offset) => lines.set(piece.startLine + offset, line));
  const startLine = Math.min(first.startLine, second.startLine);
  const endLine = Math.max(first.endLine, second.endLine);
  const text = Array.from({ length: endLine - startLine + 1 }, (_, offset) => lines.get(startLine + offset) ?? '').join(
    '\n',
  );
  return { ...first, startLine, endLine, score: Math.max(first.score, second.score), text: `${text}\n` };
}

function cutToBudget<T extends ContextPiece>(piece: T, budget: number): T | null {
  const lines = piece.text.replace(/\n$/, '').split('\n');
  let used = 0;
  let count = 0;
  while (count < lines.length && used + estimateTokens(`${lines[count]}\n`) <= budget)
    used += estimateTokens(`${lines[count++]}\n`);
  if (count === 0) return null;
  return { ...piece, endLine: piece.startLine + count - 1, text: `${lines.slice(0, count).join('\n')}\n` };
}
