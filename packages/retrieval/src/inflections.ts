const WORD = /^[a-z]{4,}$/;
const VOWEL = /[aeiou]/;
const CONSONANT_Y = /[^aeiou]y$/;
const DOUBLED = /([b-df-hj-np-tv-z])\1$/;
// why: Latin and Greek endings (`status`, `analysis`, `access`) are not plurals.
const NOT_PLURAL = /(ss|us|is)$/;

/**
 * English inflections of a lowercase word (plural, past, gerund, `-y`/`-ies`) other than itself: `redelivered` gives
 * `redeliver`, `redelivers`, `redelivering`…, `delivery` gives `deliveries`. Candidates only: the caller keeps those
 * its index holds. Tokens with digits or underscores (identifiers) and short words have none, so names stay exact.
 */
export function inflections(word: string): readonly string[] {
  if (!WORD.test(word)) return [];
  let cached = cache.get(word);
  if (!cached) {
    const forms = new Set<string>();
    for (const stem of stems(word)) for (const form of formsOf(stem)) forms.add(form);
    forms.delete(word);
    cached = [...forms];
    if (cache.size > 50_000) cache.clear();
    cache.set(word, cached);
  }
  return cached;
}

// why: a question's words repeat across searches, and every search reads their forms twice (lexical and coverage).
const cache = new Map<string, readonly string[]>();

/** Candidate base forms of a word: itself, and what is left after a plural, past or gerund ending. */
function stems(word: string): string[] {
  const found = [word];
  const strip = (suffix: string): string | null =>
    word.endsWith(suffix) && VOWEL.test(word.slice(0, -suffix.length)) && word.length - suffix.length >= 3
      ? word.slice(0, -suffix.length)
      : null;
  const ies = strip('ies') ?? strip('ied');
  if (ies) found.push(`${ies}y`);
  for (const suffix of ['ing', 'ed']) {
    const base = strip(suffix);
    if (!base) continue;
    // why: `stopped` → `stop`, `parsed` → `parse` and `pars`; the index lookup decides which exist.
    found.push(base, `${base}e`);
    if (DOUBLED.test(base)) found.push(base.slice(0, -1));
  }
  const es = strip('es');
  if (es && /(ch|sh|x|z|ss)$/.test(es)) found.push(es);
  if (word.endsWith('s') && !NOT_PLURAL.test(word) && !ies) found.push(word.slice(0, -1));
  return found;
}

function formsOf(stem: string): string[] {
  if (stem.length < 3) return [];
  if (CONSONANT_Y.test(stem)) {
    const root = stem.slice(0, -1);
    // why: `delivery` and `deliveries` name what `deliver` does.
    return [stem, `${root}ies`, `${root}ied`, `${stem}ing`, ...(root.length >= 4 ? [root] : [])];
  }
  if (stem.endsWith('e')) return [stem, `${stem}s`, `${stem}d`, `${stem.slice(0, -1)}ing`];
  const forms = [stem, `${stem}s`, `${stem}ed`, `${stem}ing`, `${stem}y`, `${stem}ies`];
  if (/(ch|sh|x|z|ss)$/.test(stem)) forms.push(`${stem}es`);
  return forms;
}

/**
 * Query terms with the inflections of those `inflect` picks added (at the count of the term they come from); the
 * terms themselves win.
 */
export function withInflections(
  terms: ReadonlyMap<string, number>,
  inflect: (term: string) => boolean = () => true,
): Map<string, number> {
  const expanded = new Map(terms);
  for (const [term, count] of terms) {
    if (!inflect(term)) continue;
    for (const form of inflections(term))
      if (!terms.has(form)) expanded.set(form, Math.max(expanded.get(form) ?? 0, count));
  }
  return expanded;
}
