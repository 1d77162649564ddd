// why: the statements that name what a file uses, not what it defines, in every language the chunker reads: Rust
// `use`/`extern crate`/`mod x;`, Python `import`/`from … import`, JS/TS `import`/`require(`, Go and Java/Kotlin
// `package`/`import`, C/C++ `#include`/`#pragma once`, C# `using`/`namespace x;`, Ruby `require`, PHP
// `use`/`require`/`include`/`namespace x;`. A statement may span lines: brackets left open carry it to the next line.
// Public re-exports (Rust `pub use`/`pub mod`, JS/TS `export … from`) are left out: they make a module's public
// surface, which is what a change to it touches (axum's `extract/mod.rs` gating its `pub use`s behind features).
const IMPORT_FORMS = [
  String.raw`(pub\((crate|super|self|in\s[^)]*)\)\s+)?(use\s|extern\s+crate\s|mod\s+\w+\s*;)`,
  String.raw`import\b`,
  String.raw`from\s+[\w.]+\s+import\b`,
  String.raw`((const|let|var)\s+[\w\${}\s,:]+=\s*)?require(_once|_relative)?\b`,
  String.raw`(include|include_once)\b`,
  String.raw`package\s+[\w.]+\s*;?\s*$`,
  String.raw`#\s*(include|import)\b`,
  String.raw`#\s*pragma\s+once\b`,
  String.raw`(global\s+)?using\s+[\w.=\s]+;`,
  String.raw`namespace\s+[\w.\\]+\s*;`,
  String.raw`<\?php\b`,
  String.raw`declare\s*\(\s*strict_types`,
  String.raw`['"]use (strict|client|server)['"];?\s*$`,
];
const IMPORT_LINE = new RegExp(`^\\s*(${IMPORT_FORMS.map((form) => `(${form})`).join('|')})`);
// why: the lines that may sit between imports without making the block code: comments, a shebang and Rust attributes
// (`#[cfg(feature = "x")]` gates an import), but not the preprocessor lines that define or branch, which are code.
const COMMENT_OR_ATTRIBUTE = /^\s*(\/\/|\/\*|\*|#(?!\s*(define|undef|if|ifdef|ifndef|else|elif|endif|pragma)\b))/;
const ATTRIBUTE = /^\s*#!?\[/;
const OPENERS = /[([{]/g;
const CLOSERS = /[)\]}]/g;

/** Whether a text holds only import statements (with their comments and attributes): what a file uses, not defines. */
export function isImportOnly(text: string): boolean {
  let open = 0;
  let imports = 0;
  for (const line of text.split('\n')) {
    if (open > 0) open += depthChange(line);
    else if (IMPORT_LINE.test(line)) {
      imports += 1;
      open = Math.max(0, depthChange(line));
    } else if (COMMENT_OR_ATTRIBUTE.test(line)) open = ATTRIBUTE.test(line) ? Math.max(0, depthChange(line)) : 0;
    else if (line.trim() !== '') return false;
  }
  return imports > 0;
}

function depthChange(line: string): number {
  return (line.match(OPENERS)?.length ?? 0) - (line.match(CLOSERS)?.length ?? 0);
}
