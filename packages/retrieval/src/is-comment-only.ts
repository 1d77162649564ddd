// why: line comments of the C family, scripts and SQL, block-comment lines, and `#` comments but not C preprocessor
// lines, Rust attributes or shebangs, which are code. Doc comments of a definition sit in its chunk; one left alone
// (a module's `//!` docs) counts as a comment too, which measured better on the dev sets than counting it as content.
// A line that is none of these is code; the multiline scan stops at the first one, almost always the first line.
const CODE_LINE =
  /^(?![ \t\r]*$)(?![ \t]*(\/\/|\/\*|\*|--|<!--|#(?!\s*(include|define|undef|if|ifdef|ifndef|elif|else|endif|pragma|import)\b|\[|!)))/m;
const ANY_TEXT = /\S/;

/** Whether every non-blank line of a text is a comment (a licence header, a module's docs, commented-out code). */
export function isCommentOnly(text: string): boolean {
  return ANY_TEXT.test(text) && !CODE_LINE.test(text);
}
