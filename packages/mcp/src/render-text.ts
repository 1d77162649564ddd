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

/** Renders locations as Markdown: a header naming repo, path, lines, symbol and commit, then the code. */
export function renderLocations(locations: readonly CodeLocation[], empty: string): string {
  if (locations.length === 0) return empty;
  return locations
    .map((location) => {
      const symbol = location.symbol ? ` ${location.symbol}` : '';
      const commit = location.commit ? ` @ ${location.commit.slice(0, 12)}` : '';
      const header = `${location.repo}/${location.path}:${location.start_line}-${location.end_line}${symbol}${commit}`;
      if (!location.text) return header;
      const fence = location.text.includes('```') ? '````' : '```';
      return `${header}\n${fence}${languageOf(location.path)}\n${location.text.replace(/\n$/, '')}\n${fence}`;
    })
    .join('\n\n');
}

const LANGUAGES: Readonly<Record<string, string>> = { ts: 'typescript', tsx: 'tsx', js: 'javascript', py: 'python', go: 'go', rs: 'rust', java: 'java', rb: 'ruby', cs: 'csharp', cpp: 'cpp', c: 'c', h: 'c', php: 'php', md: 'markdown' };

function languageOf(path: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
  return LANGUAGES[extension] ?? '';
}
