// why: line comments of the C family, scripts and SQL, block-comment lines, and `#` comments but not C preprocessor
// lines, Rust attributes or shebangs, which are code. Doc comments (`///`, `//!`, `/**`, `/*!`) are documentation of
// the code around them (a crate's or module's docs), so they count as content too. A line that is none of these
// comments is content; the multiline scan stops at the first one, which in code is almost always the first line.
const CODE_LINE =
  /^(?![ \t\r]*$)(?![ \t]*(\/\/(?![/!])|\/\*(?![*!])|\*|--|<!--|#(?!\s*(include|define|undef|if|ifdef|ifndef|elif|else|endif|pragma|import)\b|\[|!)))/m;
const ANY_TEXT = /\S/;

/** Whether every non-blank line of a text is a plain comment (a licence header, commented-out code), not a doc comment. */
export function isCommentOnly(text: string): boolean {
  return ANY_TEXT.test(text) && !CODE_LINE.test(text);
}
