import { showControls, showName } from '@conexus/kernel';

/** A code location with optional text, as the tools return it. */
export interface CodeLocation {
  readonly repo: string;
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly symbol?: string;
  readonly kind?: string;
  readonly commit: string;
  readonly text?: string;
}

// why: structuredContent keeps the exact values; the text a model or a terminal shows has control characters escaped.
/**
 * Renders locations as Markdown: a header naming repo, path, lines, symbol and commit, then the code. The project's
 * own locations are named by their path alone, relative to its root, so an agent can open them as shown.
 */
export function renderLocations(locations: readonly CodeLocation[], empty: string, project?: string): string {
  if (locations.length === 0) return empty;
  return locations
    .map((location) => {
      const symbol = location.symbol ? ` ${showName(location.symbol)}` : '';
      const commit = location.commit ? ` @ ${showName(location.commit.slice(0, 12))}` : '';
      const where = location.repo === project ? '' : `${showName(location.repo)}/`;
      const header = `${where}${showName(location.path)}:${location.start_line}-${location.end_line}${symbol}${commit}`;
      if (!location.text) return header;
      const code = showControls(location.text.replace(/\n$/, ''), '\n\t');
      // why: a fence longer than any backtick run in the code is one the code cannot close early.
      const fence = '`'.repeat(Math.max(3, ...Array.from(code.matchAll(/`+/g), (run) => run[0].length + 1)));
      return `${header}\n${fence}${languageOf(location.path)}\n${code}\n${fence}`;
    })
    .join('\n\n');
}

const LANGUAGES: Readonly<Record<string, string>> = {
  ts: 'typescript',
  tsx: 'tsx',
  js: 'javascript',
  py: 'python',
  go: 'go',
  rs: 'rust',
  java: 'java',
  rb: 'ruby',
  cs: 'csharp',
  cpp: 'cpp',
  c: 'c',
  h: 'c',
  php: 'php',
  md: 'markdown',
};

function languageOf(path: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
  return LANGUAGES[extension] ?? '';
}
