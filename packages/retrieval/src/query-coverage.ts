import { codeTokens, pathTokens } from './code-tokens.js';
import { inflections } from './inflections.js';

/** A ranked chunk's location and text, as coverage reads it. */
export interface CoveredText {
  readonly path: string;
  readonly symbol: string | null;
  readonly text: string;
}

/**
 * How much of a question the best chunks of one index answer, from 0 to 1: the largest share of the query terms'
 * weight (inverse document frequency in that index, times the term's count in the query) that one chunk's tokens
 * hold, a term's inflections counting as the term. A term the index lacks weighs as much as the rarest, so an index
 * that knows few of the question's words scores low however well its best chunk matches those few.
 */
export function queryCoverage(
  terms: ReadonlyMap<string, number>,
  docCounts: ReadonlyMap<string, number>,
  documentCount: number,
  best: readonly CoveredText[],
): number {
  const weighted = [...terms].map(([term, count]) => ({
    forms: [term, ...inflections(term)],
    weight: Math.log(1 + documentCount / Math.max(1, docCounts.get(term) ?? 0)) * (1 + Math.log(count)),
  }));
  const total = weighted.reduce((sum, term) => sum + term.weight, 0);
  if (total === 0) return 0;
  let coverage = 0;
  for (const chunk of best) {
    const tokens = new Set([...pathTokens(chunk.path), ...codeTokens(`${chunk.symbol ?? ''}\n${chunk.text}`)]);
    const held = weighted.reduce(
      (sum, term) => sum + (term.forms.some((form) => tokens.has(form)) ? term.weight : 0),
      0,
    );
    coverage = Math.max(coverage, held / total);
  }
  return coverage;
}
