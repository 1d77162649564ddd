import type { Node } from 'web-tree-sitter';
import type { LanguageId } from './languages.js';

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
  readonly endRow: number;
}

type Kind = SymbolKind;
type LangId = LanguageId;

interface Spec {
  /** Node types that open a named scope (their children are qualified by them). */
  containers: Record<string, Kind>;
  /** Node types that are callables; they become methods directly inside a class-like container. */
  callables: Record<string, 'function' | 'method'>;
  /** Custom name extraction; null falls back to the field `name`. */
  name?: (n: Node) => string | null;
  /** Wrapper node types whose range is used for the definition inside (decorators, export, template). */
  wrappers?: string[];
}

const fieldName = (n: Node, f = 'name') => n.childForFieldName(f)?.text ?? null;
const CLASSLIKE: ReadonlySet<Kind> = new Set([
  'class',
  'struct',
  'interface',
  'enum',
  'trait',
  'impl',
  'record',
  'union',
]);

// ---- C / C++ : the name is at the bottom of the `declarator` chain -----------------------
function cDeclaratorName(n: Node): string | null {
  let d: Node | null = n.childForFieldName('declarator');
  while (d) {
    switch (d.type) {
      case 'function_declarator':
      case 'pointer_declarator':
      case 'reference_declarator':
      case 'parenthesized_declarator':
      case 'attributed_declarator': {
        // parenthesized_declarator / reference_declarator have no `declarator` field: take first named child
        const next =
          d.childForFieldName('declarator') ?? d.namedChildren.find((c) => c && c.type.endsWith('declarator')) ?? null;
        if (!next && d.type === 'reference_declarator') {
          d = d.namedChildren[0] ?? null;
          continue;
        }
        d = next;
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
        return d.text.replace(/\s+/g, ' ');
      default:
        return d.text;
    }
  }
  return null;
}

function cTypeName(n: Node): string | null {
  // struct/union/enum/class specifier: `name`, or for `typedef struct {..} foo_t;` the typedef's declarator
  const nm = fieldName(n);
  if (nm) return nm;
  const p = n.parent;
  if (p?.type === 'type_definition') return fieldName(p, 'declarator');
  return null;
}

// ---- Go -------------------------------------------------------------------------------------
function goReceiverType(n: Node): string | null {
  const param = n.childForFieldName('receiver')?.namedChildren.find((c) => c?.type === 'parameter_declaration');
  let t: Node | null | undefined = param?.childForFieldName('type');
  while (t && (t.type === 'pointer_type' || t.type === 'generic_type' || t.type === 'parenthesized_type')) {
    t = t.type === 'generic_type' ? t.childForFieldName('type') : t.namedChildren[0];
  }
  return t?.text ?? null;
}

// ---- Rust: impl blocks are named after their `type` field (generics stripped) ------------------
function rustTypeName(t: Node | null): string | null {
  if (!t) return null;
  if (t.type === 'generic_type') return rustTypeName(t.childForFieldName('type'));
  if (t.type === 'reference_type' || t.type === 'pointer_type') return rustTypeName(t.childForFieldName('type'));
  return t.text;
}

// `export default class { ... }` has no name: call it "default"
const jsAnonClass = (n: Node) =>
  n.type === 'class' && !n.childForFieldName('name') && n.parent?.type === 'export_statement' ? 'default' : null;

const JS: Spec = {
  containers: { class_declaration: 'class', class: 'class' },
  callables: {
    function_declaration: 'function',
    generator_function_declaration: 'function',
    method_definition: 'method',
    // `const f = () => {}` / `const f = function () {}` / class field `handler = () => {}`
    variable_declarator: 'function',
    field_definition: 'method',
  },
  name: (n) => (n.type === 'field_definition' ? fieldName(n, 'property') : jsAnonClass(n)),
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
  name: (n) => (n.type === 'module' ? (fieldName(n)?.replace(/^["']|["']$/g, '') ?? null) : jsAnonClass(n)),
  wrappers: ['export_statement', 'ambient_declaration', 'lexical_declaration', 'variable_declaration'],
};

const SPECS: Record<LangId, Spec> = {
  typescript: TS,
  tsx: TS,
  javascript: JS,
  python: {
    containers: { class_definition: 'class', type_alias_statement: 'type' },
    callables: { function_definition: 'function' },
    name: (n) => (n.type === 'type_alias_statement' ? fieldName(n, 'left') : null),
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
    name: (n) => (n.type === 'impl_item' ? rustTypeName(n.childForFieldName('type')) : null),
  },
  c: {
    containers: { struct_specifier: 'struct', union_specifier: 'union', enum_specifier: 'enum' },
    callables: { function_definition: 'function' },
    name: (n) => (n.type === 'function_definition' ? cDeclaratorName(n) : cTypeName(n)),
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
    name: (n) => {
      if (n.type === 'function_definition') return cDeclaratorName(n);
      if (n.type === 'namespace_definition') return fieldName(n); // null for anonymous namespace
      return cTypeName(n);
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
    name: (n) =>
      n.type === 'destructor_declaration'
        ? '~' + fieldName(n)
        : n.type === 'operator_declaration'
          ? 'operator' + (fieldName(n, 'operator') ?? '')
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

const JS_FAMILY: ReadonlySet<LangId> = new Set(['javascript', 'typescript', 'tsx']);
const FUNC_VALUES = new Set(['arrow_function', 'function_expression', 'function', 'generator_function']);

/** Walks a syntax tree and lists its definitions with qualified names like `Outer.Inner.method`. */
export function extractSymbols(root: Node, lang: LangId): SymbolInfo[] {
  const spec = SPECS[lang];
  const out: SymbolInfo[] = [];
  const wrappers = new Set(spec.wrappers ?? []);

  const outerRange = (n: Node): Node => {
    let r = n;
    while (r.parent && wrappers.has(r.parent.type)) r = r.parent;
    return r;
  };
  const emit = (n: Node, kind: Kind, name: string, scope: string[]) => {
    const parts = name.split(/::|\\/).filter(Boolean); // qualified C++/Ruby/PHP names
    const q = [...scope, ...parts].join('.');
    const r = outerRange(n);
    out.push({
      kind,
      name: parts.at(-1) ?? name,
      qualifiedName: q,
      startRow: r.startPosition.row,
      endRow: r.endPosition.row,
    });
    return [...scope, ...parts];
  };

  // scope: qualified name parts; scopeKind: kind of innermost container (for function->method)
  // returns a new scope for the following siblings (PHP `namespace X;`, C# `namespace X;`)
  const visit = (n: Node, scope: string[], scopeKind: Kind | null): string[] | undefined => {
    let siblingScope: string[] | undefined;
    let childScope = scope;
    let childKind = scopeKind;
    const t = n.type;

    if (t in spec.containers) {
      const name = spec.name?.(n) ?? fieldName(n);
      // skip C/C++ forward references like `struct node *next` (no body)
      const isRef = (lang === 'c' || lang === 'cpp') && t !== 'namespace_definition' && !n.childForFieldName('body');
      if (name && !isRef) {
        const kind = spec.containers[t]!;
        const full = emit(n, kind, name, scope);
        // PHP `namespace X;` and C# `namespace X;` (no body) apply to following siblings
        if (
          (t === 'namespace_definition' || t === 'file_scoped_namespace_declaration') &&
          !n.childForFieldName('body')
        ) {
          siblingScope = full;
        } else {
          childScope = full;
          childKind = kind;
        }
      } else if (!name && t === 'namespace_definition' && lang === 'cpp') {
        childScope = [...scope, '(anonymous)'];
      }
    } else if (lang === 'go' && (t === 'type_spec' || t === 'type_alias')) {
      const tt = n.childForFieldName('type')?.type;
      const kind: Kind =
        t === 'type_alias' ? 'type' : tt === 'struct_type' ? 'struct' : tt === 'interface_type' ? 'interface' : 'type';
      const name = fieldName(n);
      if (name) {
        childScope = emit(n, kind, name, scope);
        childKind = kind;
      }
    } else if (t in spec.callables) {
      let ok = true;
      let kind: Kind = spec.callables[t]!;
      if (t === 'variable_declarator' || t === 'public_field_definition' || t === 'field_definition') {
        ok = FUNC_VALUES.has(n.childForFieldName('value')?.type ?? '');
        if (t === 'variable_declarator' && n.childForFieldName('name')?.type !== 'identifier') ok = false;
      }
      if (lang === 'cpp' || lang === 'c') {
        // a function_definition whose declarator is not a function (e.g. `= default` is still fine)
        ok = ok && !!n.childForFieldName('declarator');
      }
      const name = ok ? (spec.name?.(n) ?? fieldName(n)) : null;
      if (name) {
        let sc = scope;
        if (lang === 'go' && t === 'method_declaration') {
          const recv = goReceiverType(n);
          if (recv) sc = [...scope, recv];
        }
        // JS/TS object-literal method: `const api = { get() {} }` -> api.get
        if (
          t === 'method_definition' &&
          n.parent?.type === 'object' &&
          n.parent.parent?.type === 'variable_declarator'
        ) {
          const v = fieldName(n.parent.parent);
          if (v) sc = [...scope, v];
        }
        if (kind === 'function' && scopeKind && CLASSLIKE.has(scopeKind)) kind = 'method';
        if (kind === 'function' && lang === 'cpp' && name.includes('::')) kind = 'method';
        if (lang === 'go' && t === 'method_declaration') kind = 'method';
        childScope = emit(n, kind, name, sc);
        childKind = kind;
      }
    }

    // why: definitions nested inside a function body stay part of that function's chunk, so the walk
    // skips bodies of callables (most of a syntax tree) except in JS/TS, where classes hide in closures.
    if (t in spec.callables && childScope !== scope && !JS_FAMILY.has(lang)) return siblingScope;
    let cur = childScope;
    for (const c of n.namedChildren) {
      if (!c) continue;
      cur = visit(c, cur, childKind) ?? cur;
    }
    return siblingScope;
  };
  visit(root, [], null);
  return out;
}
