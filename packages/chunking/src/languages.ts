/** Languages parsed with a tree-sitter grammar. */
export type LanguageId =
  'typescript' | 'tsx' | 'javascript' | 'python' | 'go' | 'java' | 'rust' | 'c' | 'cpp' | 'csharp' | 'ruby' | 'php';

const vscodeWasm = (name: string): string => `@vscode/tree-sitter-wasm/wasm/tree-sitter-${name}.wasm`;

/** Module path of each grammar's WebAssembly file. */
export const GRAMMAR_WASM: Readonly<Record<LanguageId, string>> = {
  typescript: vscodeWasm('typescript'),
  tsx: vscodeWasm('tsx'),
  javascript: vscodeWasm('javascript'),
  python: vscodeWasm('python'),
  go: vscodeWasm('go'),
  java: vscodeWasm('java'),
  rust: vscodeWasm('rust'),
  cpp: vscodeWasm('cpp'),
  csharp: vscodeWasm('c-sharp'),
  ruby: vscodeWasm('ruby'),
  php: vscodeWasm('php'),
  // why: @vscode/tree-sitter-wasm has no C grammar, and the C++ one misreads C macros as classes.
  c: 'tree-sitter-c/tree-sitter-c.wasm',
};

const BY_EXTENSION: Readonly<Record<string, LanguageId>> = {
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'tsx',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascript',
  py: 'python',
  pyi: 'python',
  go: 'go',
  java: 'java',
  rs: 'rust',
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  hpp: 'cpp',
  hh: 'cpp',
  hxx: 'cpp',
  cs: 'csharp',
  rb: 'ruby',
  php: 'php',
};

/** The grammar for a path, by extension; null for text handled by line windows. */
export function languageForPath(path: string): LanguageId | null {
  const dot = path.lastIndexOf('.');
  if (dot < 0 || dot < path.lastIndexOf('/')) return null;
  return BY_EXTENSION[path.slice(dot + 1).toLowerCase()] ?? null;
}
