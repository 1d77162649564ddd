/**
 * The lines of a file as GetFile numbers them: split on `\n` only (a `\r` stays on its line), and a final
 * newline ends the last line rather than opening an empty one, so `a\nb\n` has 2 lines and `` has none.
 */
export function fileLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
