import type { Node } from 'web-tree-sitter';

// why: doc comments (JSDoc, Javadoc, `///`, Go doc comments, `#` blocks), Rust `#[...]` attributes and TypeScript
// member decorators are siblings that precede their definition in every grammar we load.
const LEADING = /comment$|^decorator$|^attribute_item$/;
// why: Rust's `//!` and `/*!` document the enclosing module or crate, not the item below them.
const INNER_DOC = /^(\/\/!|\/\*!)/;

/**
 * The first row of a definition together with the comments, attributes and decorators written directly above it, so
 * they land in the definition's chunk and not in the previous one. A blank line detaches a comment, and so does code
 * ending on the comment's first row (a trailing comment of the statement before).
 */
export function leadingStartRow(definition: Node): number {
  let start = definition.startPosition.row;
  let sibling = definition.previousSibling;
  while (sibling && LEADING.test(sibling.type) && !INNER_DOC.test(sibling.text)) {
    if (lastRow(sibling) < start - 1) break;
    const before = sibling.previousSibling;
    if (before && !LEADING.test(before.type) && lastRow(before) >= sibling.startPosition.row) break;
    start = sibling.startPosition.row;
    sibling = before;
  }
  return start;
}

// why: a line comment's node takes in its newline in some grammars (Rust), ending at column 0 of the next row.
function lastRow(node: Node): number {
  const end = node.endPosition;
  return end.column === 0 && end.row > node.startPosition.row ? end.row - 1 : end.row;
}
