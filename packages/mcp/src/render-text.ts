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

// why: repositories are written by anyone; a newline in a path would forge a result header the model trusts, and an
// escape sequence would reach whichever terminal shows the tool output. C0, DEL, C1, the Unicode line separators and
// the bidi overrides are shown as escapes; structuredContent keeps the exact values.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
const NEEDS_QUOTES = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069"\\]/u;
const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Renders locations as Markdown: a header naming repo, path, lines, symbol and commit, then the code. */
export function renderLocations(locations: readonly CodeLocation[], empty: string): string {
  if (locations.length === 0) return empty;
  return locations
    .map((location) => {
      const symbol = location.symbol ? ` ${showName(location.symbol)}` : '';
      const commit = location.commit ? ` @ ${showName(location.commit.slice(0, 12))}` : '';
      const header = `${showName(location.repo)}/${showName(location.path)}:${location.start_line}-${location.end_line}${symbol}${commit}`;
      if (!location.text) return header;
      const code = location.text.replace(/\n$/, '').replace(CONTROLS, (char) => (char === '\n' || char === '\t' ? char : escapeControl(char)));
      // why: a fence longer than any backtick run in the code is one the code cannot close early.
      const fence = '`'.repeat(Math.max(3, ...Array.from(code.matchAll(/`+/g), (run) => run[0].length + 1)));
      return `${header}\n${fence}${languageOf(location.path)}\n${code}\n${fence}`;
    })
    .join('\n\n');
}

/** A name (repository, path, symbol) for text output: as it is, or quoted with escapes when it holds control characters, quotes or backslashes. */
export function showName(name: string): string {
  if (!NEEDS_QUOTES.test(name)) return name;
  return `"${name.replace(/["\\]/g, '\\$&').replace(CONTROLS, escapeControl)}"`;
}

/** A message for text output on one line: its control characters, newlines included, shown as escapes. */
export function showLine(message: string): string {
  return message.replace(CONTROLS, escapeControl);
}

function escapeControl(char: string): string {
  return SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

const LANGUAGES: Readonly<Record<string, string>> = { ts: 'typescript', tsx: 'tsx', js: 'javascript', py: 'python', go: 'go', rs: 'rust', java: 'java', rb: 'ruby', cs: 'csharp', cpp: 'cpp', c: 'c', h: 'c', php: 'php', md: 'markdown' };

function languageOf(path: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
  return LANGUAGES[extension] ?? '';
}
