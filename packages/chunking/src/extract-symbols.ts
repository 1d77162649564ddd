import type { Node } from 'web-tree-sitter';
import type { LanguageId } from './languages.js';
import { leadingRows } from './leading-rows.js';

/** The kinds of definition the grammars report. */
export type SymbolKind =
  | 'function'
  | 'method'
  | 'class'
  | 'struct'
  | 'interface'
  | 'enum'
  | 'trait'
  | 'impl'
  | 'module'
  | 'namespace'
  | 'type'
  | 'union'
  | 'record'
  | 'macro';

/** A definition found in a syntax tree, with its qualified name and 0-based inclusive row range. */
export interface SymbolInfo {
  readonly kind: SymbolKind;
  readonly name: string;
  readonly qualifiedName: string;
  readonly startRow: number;
  /** The row where its code starts, past the doc comments above it (`startRow` when it has none). */
  readonly codeRow: number;
  readonly endRow: number;
}

interface Spec {
  /** Node types that open a named scope (their children are qualified by them). */
  containers: Record<string, SymbolKind>;
  /** Node types that are callables; they become methods directly inside a class-like container. */
  callables: Record<string, 'function' | 'method'>;
  /** Custom name extraction; null falls back to the field `name`. */
  name?: (node: Node) => string | null;
  /** Wrapper node types whose range is used for the definition inside (decorators, export, template). */
  wrappers?: string[];
}

const fieldName = (node: Node, field = 'name') => node.childForFieldName(field)?.text ?? null;
const CLASSLIKE: ReadonlySet<SymbolKind> = new Set([
  'class',
  'struct',
  'interface',
  'enum',
  'trait',
  'impl',
  'record',
  'union',
]);

// C / C++ : the name is at the bottom of the `declarator` chain
function cDeclaratorName(node: Node): string | null {
  let declarator: Node | null = node.childForFieldName('declarator');
  while (declarator) {
    switch (declarator.type) {
      case 'function_declarator':
      case 'pointer_declarator':
      case 'reference_declarator':
      case 'parenthesized_declarator':
      case 'attributed_declarator': {
        // parenthesized_declarator / reference_declarator have no `declarator` field: take first named child
        const next =
          declarator.childForFieldName('declarator') ??
          declarator.namedChildren.find((child) => child && child.type.endsWith('declarator')) ??
          null;
        if (!next && declarator.type === 'reference_declarator') {
          declarator = declarator.namedChildren[0] ?? null;
          continue;
        }
        declarator = next;
        continue;
      }
      case 'identifier':
      case 'field_identifier':
      case 'type_identifier':
      case 'destructor_name':
      case 'operator_name':
      case 'qualified_identifier':
      case 'template_function':
      case 'template_method':
      case 'operator_cast':
        return declarator.text.replace(/\s+/g, ' ');
      default:
        return declarator.text;
    }
  }
  return null;
}

function cTypeName(node: Node): string | null {
  // struct/union/enum/class specifier: `name`, or for `typedef struct {..} foo_t;` the typedef's declarator
  const own = fieldName(node);
  if (own) return own;
  const parent = node.parent;
  if (parent?.type === 'type_definition') return fieldName(parent, 'declarator');
  return null;
}

// Go
function goReceiverType(node: Node): string | null {
  const param = node
    .childForFieldName('receiver')
    ?.namedChildren.find((child) => child?.type === 'parameter_declaration');
  let typeNode: Node | null | undefined = param?.childForFieldName('type');
  while (
    typeNode &&
    (typeNode.type === 'pointer_type' || typeNode.type === 'generic_type' || typeNode.type === 'parenthesized_type')
  ) {
    typeNode = typeNode.type === 'generic_type' ? typeNode.childForFieldName('type') : typeNode.namedChildren[0];
  }
  return typeNode?.text ?? null;
}

// Rust: impl blocks are named after their `type` field (generics stripped)
function rustTypeName(typeNode: Node | null): string | null {
  if (!typeNode) return null;
  if (typeNode.type === 'generic_type') return rustTypeName(typeNode.childForFieldName('type'));
  if (typeNode.type === 'reference_type' || typeNode.type === 'pointer_type')
    return rustTypeName(typeNode.childForFieldName('type'));
  return typeNode.text;
}

// `export default class { ... }` has no name: call it "default"
const jsAnonClass = (node: Node) =>
  node.type === 'class' && !node.childForFieldName('name') && node.parent?.type === 'export_statement'
    ? 'default'
    : null;

const JS: Spec = {
  containers: { class_declaration: 'class', class: 'class' },
  callables: {
    function_declaration: 'function',
    generator_function_declaration: 'function',
    method_definition: 'method',
    // `const field = () => {}` / `const field = function () {}` / class field `handler = () => {}`
    variable_declarator: 'function',
    field_definition: 'method',
  },
  name: (node) => (node.type === 'field_definition' ? fieldName(node, 'property') : jsAnonClass(node)),
  wrappers: ['export_statement', 'lexical_declaration', 'variable_declaration'],
};

const TS: Spec = {
  containers: {
    class_declaration: 'class',
    abstract_class_declaration: 'class',
    class: 'class',
    interface_declaration: 'interface',
    enum_declaration: 'enum',
    type_alias_declaration: 'type',
    internal_module: 'namespace',
    module: 'module', // `namespace X {}` / `declare module "x" {}`
  },
  callables: {
    function_declaration: 'function',
    generator_function_declaration: 'function',
    function_signature: 'function',
    method_definition: 'method',
    method_signature: 'method',
    abstract_method_signature: 'method',
    variable_declarator: 'function',
    public_field_definition: 'method',
  },
  name: (node) => (node.type === 'module' ? (fieldName(node)?.replace(/^["']|["']$/g, '') ?? null) : jsAnonClass(node)),
  wrappers: ['export_statement', 'ambient_declaration', 'lexical_declaration', 'variable_declaration'],
};

const SPECS: Record<LanguageId, Spec> = {
  typescript: TS,
  tsx: TS,
  javascript: JS,
  python: {
    containers: { class_definition: 'class', type_alias_statement: 'type' },
    callables: { function_definition: 'function' },
    name: (node) => (node.type === 'type_alias_statement' ? fieldName(node, 'left') : null),
    wrappers: ['decorated_definition'],
  },
  go: {
    containers: {},
    callables: { function_declaration: 'function', method_declaration: 'method' },
    // type_spec is handled specially below (kind depends on its `type` field)
  },
  java: {
    containers: {
      class_declaration: 'class',
      interface_declaration: 'interface',
      enum_declaration: 'enum',
      record_declaration: 'record',
      annotation_type_declaration: 'interface',
    },
    callables: {
      method_declaration: 'method',
      constructor_declaration: 'method',
      compact_constructor_declaration: 'method',
    },
  },
  rust: {
    containers: {
      struct_item: 'struct',
      enum_item: 'enum',
      union_item: 'union',
      trait_item: 'trait',
      impl_item: 'impl',
      mod_item: 'module',
      type_item: 'type',
      macro_definition: 'macro',
    },
    callables: { function_item: 'function', function_signature_item: 'function' },
    name: (node) => (node.type === 'impl_item' ? rustTypeName(node.childForFieldName('type')) : null),
  },
  c: {
    containers: { struct_specifier: 'struct', union_specifier: 'union', enum_specifier: 'enum' },
    callables: { function_definition: 'function' },
    name: (node) => (node.type === 'function_definition' ? cDeclaratorName(node) : cTypeName(node)),
    wrappers: ['type_definition'],
  },
  cpp: {
    containers: {
      class_specifier: 'class',
      struct_specifier: 'struct',
      union_specifier: 'union',
      enum_specifier: 'enum',
      namespace_definition: 'namespace',
    },
    callables: { function_definition: 'function' },
    name: (node) => {
      if (node.type === 'function_definition') return cDeclaratorName(node);
      if (node.type === 'namespace_definition') return fieldName(node); // null for anonymous namespace
      return cTypeName(node);
    },
    wrappers: ['template_declaration', 'type_definition'],
  },
  csharp: {
    containers: {
      class_declaration: 'class',
      struct_declaration: 'struct',
      interface_declaration: 'interface',
      enum_declaration: 'enum',
      record_declaration: 'record',
      namespace_declaration: 'namespace',
      file_scoped_namespace_declaration: 'namespace',
      delegate_declaration: 'type',
    },
    callables: {
      method_declaration: 'method',
      constructor_declaration: 'method',
      destructor_declaration: 'method',
      local_function_statement: 'function',
      property_declaration: 'method',
      operator_declaration: 'method',
    },
    name: (node) =>
      node.type === 'destructor_declaration'
        ? '~' + fieldName(node)
        : node.type === 'operator_declaration'
          ? 'operator' + (fieldName(node, 'operator') ?? '')
          : null,
  },
  ruby: {
    // `class << self` (singleton_class) is transparent: its methods are qualified by the class
    containers: { class: 'class', module: 'module' },
    callables: { method: 'method', singleton_method: 'method' },
  },
  php: {
    containers: {
      class_declaration: 'class',
      interface_declaration: 'interface',
      trait_declaration: 'trait',
      enum_declaration: 'enum',
      namespace_definition: 'namespace',
    },
    callables: { function_definition: 'function', method_declaration: 'method' },
  },
};

const specCount = (declaration: Node): number =>
  declaration.namedChildren.filter((child) => child?.type === 'type_spec' || child?.type === 'type_alias').length;

const JS_FAMILY: ReadonlySet<LanguageId> = new Set(['javascript', 'typescript', 'tsx']);
const FUNC_VALUES = new Set(['arrow_function', 'function_expression', 'function', 'generator_function']);

/** Walks a syntax tree and lists its definitions with qualified names like `Outer.Inner.method`. */
export function extractSymbols(root: Node, language: LanguageId): SymbolInfo[] {
  const spec = SPECS[language];
  const out: SymbolInfo[] = [];
  const wrappers = new Set(spec.wrappers ?? []);

  const outerRange = (node: Node): Node => {
    let range = node;
    while (range.parent && wrappers.has(range.parent.type)) range = range.parent;
    // why: a Go doc comment sits above `type T struct{}`, outside the type_spec; a grouped `type (...)` keeps its own.
    const parent = range.parent;
    if (
      (range.type === 'type_spec' || range.type === 'type_alias') &&
      parent?.type === 'type_declaration' &&
      specCount(parent) === 1
    )
      return parent;
    return range;
  };
  const emit = (node: Node, kind: SymbolKind, name: string, scope: string[]) => {
    const parts = name.split(/::|\\/).filter(Boolean); // qualified C++/Ruby/PHP names
    const q = [...scope, ...parts].join('.');
    const range = outerRange(node);
    const leading = leadingRows(range);
    out.push({
      kind,
      name: parts.at(-1) ?? name,
      qualifiedName: q,
      startRow: leading.start,
      codeRow: leading.code,
      endRow: range.endPosition.row,
    });
    return [...scope, ...parts];
  };

  // scope: qualified name parts; scopeKind: kind of innermost container (for function->method)
  // returns a new scope for the following siblings (PHP `namespace X;`, C# `namespace X;`)
  const visit = (node: Node, scope: string[], scopeKind: SymbolKind | null): string[] | undefined => {
    let siblingScope: string[] | undefined;
    let childScope = scope;
    let childKind = scopeKind;
    const nodeType = node.type;

    if (nodeType in spec.containers) {
      const name = spec.name?.(node) ?? fieldName(node);
      // skip C/C++ forward references like `struct node *next` (no body)
      const isRef =
        (language === 'c' || language === 'cpp') &&
        nodeType !== 'namespace_definition' &&
        !node.childForFieldName('body');
      if (name && !isRef) {
        const kind = spec.containers[nodeType]!;
        const full = emit(node, kind, name, scope);
        // PHP `namespace X;` and C# `namespace X;` (no body) apply to following siblings
        if (
          (nodeType === 'namespace_definition' || nodeType === 'file_scoped_namespace_declaration') &&
          !node.childForFieldName('body')
        ) {
          siblingScope = full;
        } else {
          childScope = full;
          childKind = kind;
        }
      } else if (!name && nodeType === 'namespace_definition' && language === 'cpp') {
        childScope = [...scope, '(anonymous)'];
      }
    } else if (language === 'go' && (nodeType === 'type_spec' || nodeType === 'type_alias')) {
      const declaredType = node.childForFieldName('type')?.type;
      const kind: SymbolKind =
        nodeType === 'type_alias'
          ? 'type'
          : declaredType === 'struct_type'
            ? 'struct'
            : declaredType === 'interface_type'
              ? 'interface'
              : 'type';
      const name = fieldName(node);
      if (name) {
        childScope = emit(node, kind, name, scope);
        childKind = kind;
      }
    } else if (nodeType in spec.callables) {
      let ok = true;
      let kind: SymbolKind = spec.callables[nodeType]!;
      if (
        nodeType === 'variable_declarator' ||
        nodeType === 'public_field_definition' ||
        nodeType === 'field_definition'
      ) {
        ok = FUNC_VALUES.has(node.childForFieldName('value')?.type ?? '');
        if (nodeType === 'variable_declarator' && node.childForFieldName('name')?.type !== 'identifier') ok = false;
      }
      if (language === 'cpp' || language === 'c') {
        // a function_definition whose declarator is not a function (e.g. `= default` is still fine)
        ok = ok && !!node.childForFieldName('declarator');
      }
      const name = ok ? (spec.name?.(node) ?? fieldName(node)) : null;
      if (name) {
        let methodScope = scope;
        if (language === 'go' && nodeType === 'method_declaration') {
          const receiver = goReceiverType(node);
          if (receiver) methodScope = [...scope, receiver];
        }
        // JS/TS object-literal method: `const api = { get() {} }` -> api.get
        if (
          nodeType === 'method_definition' &&
          node.parent?.type === 'object' &&
          node.parent.parent?.type === 'variable_declarator'
        ) {
          const holder = fieldName(node.parent.parent);
          if (holder) methodScope = [...scope, holder];
        }
        if (kind === 'function' && scopeKind && CLASSLIKE.has(scopeKind)) kind = 'method';
        if (kind === 'function' && language === 'cpp' && name.includes('::')) kind = 'method';
        if (language === 'go' && nodeType === 'method_declaration') kind = 'method';
        childScope = emit(node, kind, name, methodScope);
        childKind = kind;
      }
    }

    // why: definitions nested inside a function body stay part of that function's chunk, so the walk
    // skips bodies of callables (most of a syntax tree) except in JS/TS, where classes hide in closures.
    if (nodeType in spec.callables && childScope !== scope && !JS_FAMILY.has(language)) return siblingScope;
    let nested = childScope;
    for (const child of node.namedChildren) {
      if (!child) continue;
      nested = visit(child, nested, childKind) ?? nested;
    }
    return siblingScope;
  };
  visit(root, [], null);
  return out;
}
