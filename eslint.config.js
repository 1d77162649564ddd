import tseslint from 'typescript-eslint';

const PURE_PACKAGES = ['packages/kernel/src/**/*.ts', 'packages/access/src/**/*.ts', 'packages/secrets/src/**/*.ts', 'packages/retrieval/src/**/*.ts', 'packages/sharding/src/**/*.ts'];
const IO_MODULES = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process', 'net', 'node:net', 'http', 'node:http', 'better-sqlite3', 'web-tree-sitter'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', '.tools/**', 'packages/api/src/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-console': 'error',
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['@conexus/*/*'], message: 'Import a package through its index (no deep imports).' },
          { group: ['../../*/src/*', '../../../packages/*'], message: 'Import another package by its name, @conexus/<name>.' },
        ],
      }],
    },
  },
  {
    // why: ranking, tokenizing and errors are pure domain code; I/O belongs in adapters and the engine.
    files: PURE_PACKAGES,
    rules: {
      'no-restricted-imports': ['error', {
        paths: IO_MODULES.map((name) => ({ name, message: 'Pure domain packages do no I/O.' })),
        patterns: [{ group: ['@conexus/*', '!@conexus/kernel'], message: 'Pure domain packages depend only on @conexus/kernel.' }],
      }],
    },
  },
  {
    files: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'e2e/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable' } }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
