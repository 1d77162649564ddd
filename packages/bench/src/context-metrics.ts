import { estimateTokens } from '@conexus/kernel';
import { assembleContext, type ContextPiece } from '@conexus/query';

/** What one question's context costs and finds, for chunks as they come and for assembled context. */
export interface ContextOutcome {
  /** Tokens returned before the first piece of a gold file, within the largest budget; null when none is there. */
  readonly tokensBeforeGold: { readonly raw: number | null; readonly assembled: number | null };
  /** Share of gold files present within each budget. */
  readonly recall: Record<number, { readonly raw: number; readonly assembled: number }>;
}

/** Measures one ranked list of chunks against the gold files, raw and assembled, at each token budget. */
export function contextOutcome(
  pieces: readonly ContextPiece[],
  goldFiles: readonly string[],
  budgets: readonly number[],
): ContextOutcome {
  const gold = new Set(goldFiles);
  const largest = Math.max(...budgets);
  const recall: Record<number, { raw: number; assembled: number }> = {};
  for (const budget of budgets) {
    recall[budget] = {
      raw: share(gold, withinBudget(pieces, budget)),
      assembled: share(gold, assembleContext(pieces, budget).pieces),
    };
  }
  return {
    // why: both sides read at most the largest budget, so neither gets credit for a gold file beyond it.
    tokensBeforeGold: {
      raw: tokensBefore(withinBudget(pieces, largest), gold),
      assembled: tokensBefore(assembleContext(pieces, largest).pieces, gold),
    },
    recall,
  };
}

/** Sums outcomes: mean recall per budget and the median tokens before the first gold file. */
export function summarizeContext(outcomes: readonly ContextOutcome[], budgets: readonly number[]) {
  const median = (values: number[]): number | null =>
    values.length === 0 ? null : values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const found = (pick: (outcome: ContextOutcome) => number | null) =>
    outcomes.map(pick).filter((value): value is number => value !== null);
  const mean = (values: number[]): number =>
    Math.round((values.reduce((sum, value) => sum + value, 0) / (values.length || 1)) * 1000) / 10;
  const average = (values: number[]): number | null =>
    values.length === 0 ? null : Math.round(values.reduce((sum, value) => sum + value, 0) / values.length);
  const tokens = (side: 'raw' | 'assembled') => {
    const values = found((outcome) => outcome.tokensBeforeGold[side]);
    return { median: median(values), mean: average(values), found: values.length };
  };
  return {
    rows: outcomes.length,
    tokensBeforeGold: { raw: tokens('raw'), assembled: tokens('assembled') },
    recall: Object.fromEntries(
      budgets.map((budget) => [
        budget,
        {
          raw: mean(outcomes.map((outcome) => outcome.recall[budget]!.raw)),
          assembled: mean(outcomes.map((outcome) => outcome.recall[budget]!.assembled)),
        },
      ]),
    ),
  };
}

function withinBudget(pieces: readonly ContextPiece[], budget: number): ContextPiece[] {
  const kept: ContextPiece[] = [];
  let used = 0;
  for (const piece of pieces) {
    used += estimateTokens(piece.text);
    if (used > budget) break;
    kept.push(piece);
  }
  return kept;
}

function share(gold: ReadonlySet<string>, pieces: readonly ContextPiece[]): number {
  if (gold.size === 0) return 0;
  const present = new Set(pieces.map((piece) => piece.path).filter((path) => gold.has(path)));
  return present.size / gold.size;
}

function tokensBefore(pieces: readonly ContextPiece[], gold: ReadonlySet<string>): number | null {
  let tokens = 0;
  for (const piece of pieces) {
    if (gold.has(piece.path)) return tokens;
    tokens += estimateTokens(piece.text);
  }
  return null;
}
