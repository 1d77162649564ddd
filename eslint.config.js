import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const PURE_PACKAGES = [
  'packages/kernel/src/**/*.ts',
  'packages/access/src/**/*.ts',
  'packages/secrets/src/**/*.ts',
  'packages/retrieval/src/**/*.ts',
  'packages/sharding/src/**/*.ts',
];
const TEST_FILES = ['**/*.test.ts', '**/*.fixture.ts', 'e2e/**'];
const WORKSPACES = ['packages', 'services'].flatMap((group) =>
  readdirSync(join(import.meta.dirname, group)).map((name) => `${group}/${name}`),
);
const IO_MODULES = [
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'child_process',
  'node:child_process',
  'net',
  'node:net',
  'http',
  'node:http',
  'better-sqlite3',
  'web-tree-sitter',
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', '.tools/**', 'packages/api/src/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    // why: the package tsconfigs leave tests out of their builds; the test configs bring every test into a typed program.
    languageOptions: {
      parserOptions: {
        project: [
          './tsconfig.test.json',
          './e2e/tsconfig.json',
          './packages/vscode/tsconfig.test.json',
          './packages/retrievers/tsconfig.test.json',
          './packages/*/tsconfig.json',
          './services/*/tsconfig.json',
        ],
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()], 'import-x/core-modules': ['vscode'] },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      // why: async functions implement promise-returning ports; without an await they still turn a throw into a rejection, which callers rely on.
      '@typescript-eslint/require-await': 'off',
      'import-x/no-cycle': 'error',
      'import-x/no-extraneous-dependencies': ['error', { devDependencies: TEST_FILES, includeTypes: true }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-console': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@conexus/*/*'], message: 'Import a package through its index (no deep imports).' },
            {
              group: ['../../*/src/*', '../../../packages/*'],
              message: 'Import another package by its name, @conexus/<name>.',
            },
          ],
        },
      ],
    },
  },
  // why: each package declares what it imports; tests may also use the root's shared test tooling (jest, fast-check).
  ...WORKSPACES.map((dir) => ({
    files: [`${dir}/**/*.ts`],
    rules: {
      'import-x/no-extraneous-dependencies': [
        'error',
        {
          devDependencies: TEST_FILES,
          includeTypes: true,
          packageDir: [join(import.meta.dirname, dir), import.meta.dirname],
        },
      ],
    },
  })),
  {
    // why: ranking, tokenizing and errors are pure domain code; I/O belongs in adapters and the engine.
    files: PURE_PACKAGES,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: IO_MODULES.map((name) => ({ name, message: 'Pure domain packages do no I/O.' })),
          patterns: [
            {
              group: ['@conexus/*', '!@conexus/kernel'],
              message: 'Pure domain packages depend only on @conexus/kernel.',
            },
          ],
        },
      ],
    },
  },
  {
    // why: inside a service, imports flow inward (adapters → app → domain); use cases get their adapters injected.
    files: ['services/*/src/domain/**/*.ts', 'services/*/src/app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...IO_MODULES, '@connectrpc/connect', '@connectrpc/connect-node'].map((name) => ({
            name,
            message: 'Domain and app code do no I/O and know no protocol; inject an adapter.',
          })),
          patterns: [
            { group: ['**/adapters/**'], message: 'Domain and app code may not import adapters; inject them.' },
            { group: ['@conexus/*/*'], message: 'Import a package through its index (no deep imports).' },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'e2e/**/*.ts'],
    // why: tests read JSON output and stubbed APIs as untyped values whose shape their assertions then check.
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
