// why: names and text come from repositories anyone may have written; a control character that reached a terminal or a
// model's prompt could recolour it, move the cursor or, as a newline, forge a result line. C0, DEL, C1 (CSI 0x9b
// included), the Unicode line separators and the bidi overrides are shown as escapes instead.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
const NEEDS_QUOTES = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069"\\]/u;
const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A name (repository, path, symbol) for text output: as it is, or quoted git-style with escapes when it holds control characters, quotes or backslashes. */
export function showName(name: string): string {
  if (!NEEDS_QUOTES.test(name)) return name;
  return `"${name.replace(/["\\]/g, '\\$&').replace(CONTROLS, escapeControl)}"`;
}

/** Text for output with its control characters shown as escapes, except those in `keep` (e.g. tab, or newline for multi-line code). */
export function showControls(text: string, keep = ''): string {
  return text.replace(CONTROLS, (char) => (keep.includes(char) ? char : escapeControl(char)));
}

function escapeControl(char: string): string {
  return SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
