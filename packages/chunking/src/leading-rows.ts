import type { Node } from 'web-tree-sitter';

// why: doc comments (JSDoc, Javadoc, `///`, Go doc comments, `#` blocks), Rust `#[...]` attributes and TypeScript
// member decorators are siblings that precede their definition in every grammar we load.
const LEADING = /comment$|^decorator$|^attribute_item$/;
const COMMENT = /comment$/;
// why: Rust's `//!` and `/*!` document the enclosing module or crate, not the item below them.
const INNER_DOC = /^(\/\/!|\/\*!)/;

/** Where a definition's leading lines begin and where its code begins (0-based rows). */
export interface LeadingRows {
  /** The first row of the comments, attributes and decorators written directly above it, or its own first row. */
  readonly start: number;
  /** The row after its last leading comment: attributes, decorators and the definition itself start here. */
  readonly code: number;
}

/**
 * The first row of a definition together with the comments, attributes and decorators written directly above it, so
 * they land in the definition's chunk and not in the previous one. A blank line detaches a comment, and so does code
 * ending on the comment's first row (a trailing comment of the statement before).
 */
export function leadingRows(definition: Node): LeadingRows {
  let start = definition.startPosition.row;
  let code: number | null = null;
  let sibling = definition.previousSibling;
  while (sibling && LEADING.test(sibling.type) && !INNER_DOC.test(sibling.text)) {
    if (lastRow(sibling) < start - 1) break;
    const before = sibling.previousSibling;
    if (before && !LEADING.test(before.type) && lastRow(before) >= sibling.startPosition.row) break;
    // why: the lowest comment ends the docs; a comment that shares its row with the definition is not above it.
    if (code === null && COMMENT.test(sibling.type) && lastRow(sibling) < definition.startPosition.row)
      code = lastRow(sibling) + 1;
    start = sibling.startPosition.row;
    sibling = before;
  }
  return { start, code: Math.max(start, code ?? definition.startPosition.row) };
}

// why: a line comment's node takes in its newline in some grammars (Rust), ending at column 0 of the next row.
function lastRow(node: Node): number {
  const end = node.endPosition;
  return end.column === 0 && end.row > node.startPosition.row ? end.row - 1 : end.row;
}
