import type { QueryAnalysis } from './analyze-query.js';

const EXTENSION = /\.[A-Za-z0-9]+$/;

/** Scores files (0..1) that a question names: by path (also absolute or from a stack trace), module path or file stem. */
export function pathHintScores(analysis: QueryAnalysis, files: readonly { path: string }[]): Map<string, number> {
  const scores = new Map<string, number>();
  const raise = (path: string, score: number): void => {
    if (score > (scores.get(path) ?? 0)) scores.set(path, score);
  };
  if (analysis.pathHints.length === 0 && analysis.identifiers.length === 0) return scores;
  const identifierStems = new Set(analysis.identifiers.map((identifier) => identifier.toLowerCase()));
  for (const { path, bare, stem } of splitPaths(files)) {
    for (const hint of analysis.pathHints) {
      if (EXTENSION.test(hint)) {
        if (endsWithSegments(hint, path) || endsWithSegments(path, hint)) raise(path, 1);
      } else if (endsWithSegments(bare, hint) || endsWithSegments(bare, `${hint}/__init__`)) {
        raise(path, 1);
      } else if (path.startsWith(`${hint}/`) || path.includes(`/${hint}/`)) {
        raise(path, 0.25);
      }
    }
    if (stem.length > 3 && stem !== '__init__' && identifierStems.has(stem)) raise(path, 0.5);
  }
  return scores;
}

function endsWithSegments(whole: string, tail: string): boolean {
  return whole === tail || whole.endsWith(`/${tail}`);
}

const splitCache = new WeakMap<readonly { path: string }[], { path: string; bare: string; stem: string }[]>();

// why: the same path list serves every query of an index generation; split it once.
function splitPaths(files: readonly { path: string }[]): { path: string; bare: string; stem: string }[] {
  let split = splitCache.get(files);
  if (!split) {
    split = files.map(({ path }) => {
      const bare = path.replace(EXTENSION, '');
      return { path, bare, stem: (bare.split('/').pop() ?? '').toLowerCase() };
    });
    splitCache.set(files, split);
  }
  return split;
}
