/** One benchmark row's outcome: the gold files and spans and what the engine ranked. */
export interface RowOutcome {
  readonly goldFiles: readonly string[];
  readonly rankedFiles: readonly string[];
  readonly goldSymbols: readonly string[] | null;
  readonly rankedSymbols: readonly string[];
}

/** The metrics of ../shared/bench/README.md, as percentages (MRR as a fraction). */
export interface LocalizationMetrics {
  readonly rows: number;
  readonly acc: Readonly<Record<1 | 3 | 5 | 10, number>>;
  readonly recall: Readonly<Record<1 | 3 | 5 | 10, number>>;
  readonly mrr: number;
  readonly symbolRows: number;
  readonly symbolAcc10: number;
}

const KS = [1, 3, 5, 10] as const;

/** Computes file Acc@k, file Recall@k, MRR (first gold file within the top 10) and symbol Acc@10. */
export function localizationMetrics(outcomes: readonly RowOutcome[]): LocalizationMetrics {
  const acc = { 1: 0, 3: 0, 5: 0, 10: 0 };
  const recall = { 1: 0, 3: 0, 5: 0, 10: 0 };
  let reciprocal = 0;
  let symbolRows = 0;
  let symbolHits = 0;
  for (const outcome of outcomes) {
    for (const k of KS) {
      const top = new Set(outcome.rankedFiles.slice(0, k));
      const found = outcome.goldFiles.filter((file) => top.has(file)).length;
      if (found === outcome.goldFiles.length) acc[k] += 1;
      recall[k] += found / outcome.goldFiles.length;
    }
    const first = outcome.rankedFiles.slice(0, 10).findIndex((file) => outcome.goldFiles.includes(file));
    reciprocal += first < 0 ? 0 : 1 / (first + 1);
    if (outcome.goldSymbols && outcome.goldSymbols.length > 0) {
      symbolRows += 1;
      const top = new Set(outcome.rankedSymbols.slice(0, 10));
      if (outcome.goldSymbols.every((symbol) => top.has(symbol))) symbolHits += 1;
    }
  }
  const rows = outcomes.length || 1;
  const percent = (value: number, of: number): number => Math.round((1000 * value) / (of || 1)) / 10;
  return {
    rows: outcomes.length,
    acc: { 1: percent(acc[1], rows), 3: percent(acc[3], rows), 5: percent(acc[5], rows), 10: percent(acc[10], rows) },
    recall: {
      1: percent(recall[1], rows),
      3: percent(recall[3], rows),
      5: percent(recall[5], rows),
      10: percent(recall[10], rows),
    },
    mrr: Math.round((1000 * reciprocal) / rows) / 1000,
    symbolRows,
    symbolAcc10: percent(symbolHits, symbolRows),
  };
}
