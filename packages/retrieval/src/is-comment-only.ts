// why: line comments of the C family, scripts and SQL, block-comment lines, and `#` comments but not C preprocessor
// lines, Rust attributes or shebangs, which are code.
const COMMENT_LINE =
  /^\s*(\/\/|\/\*|\*|--|<!--|#(?!\s*(include|define|undef|if|ifdef|ifndef|elif|else|endif|pragma|import)\b|\[|!))/;

/** Whether every non-blank line of a text is a comment (a licence header, a block of commented-out code). */
export function isCommentOnly(text: string): boolean {
  let sawComment = false;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (!COMMENT_LINE.test(line)) return false;
    sawComment = true;
  }
  return sawComment;
}
