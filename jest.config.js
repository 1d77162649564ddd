/** Jest runs TypeScript sources directly through swc; `tsc -b` type-checks separately. */
const shared = {
  rootDir: import.meta.dirname,
  testEnvironment: '<rootDir>/scripts/jest-environment.cjs',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } },
    ],
  },
  moduleNameMapper: {
    '^@conexus/(gateway|indexer|query|policy)$': '<rootDir>/services/$1/src/index.ts',
    '^@conexus/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testTimeout: 60000,
};
const beside = ['<rootDir>/packages/*/src/**/', '<rootDir>/services/*/src/**/'];

// why: the layers are told apart by name; a test that needs NATS, a child process (git, node, nats-server),
// Go or the embedding model is `*.int.test.ts`, so `npm run test:unit` runs without any of them.
export default {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: beside.map((dir) => `${dir}*.test.ts`),
      testPathIgnorePatterns: ['/node_modules/', '\\.int\\.test\\.ts$'],
    },
    { ...shared, displayName: 'integration', testMatch: beside.map((dir) => `${dir}*.int.test.ts`) },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/e2e/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.(k8s|tf)\\.test\\.ts$'],
    },
    // why: these need a real cluster with the project's images, so they exist only inside `npm run e2e:k8s` and
    // `npm run test:terraform` (scripts/k8s/e2e.sh).
    ...(process.env.CONEXUS_K8S_RUN_DIR
      ? [
          { ...shared, displayName: 'k8s', testMatch: ['<rootDir>/e2e/k8s/*.k8s.test.ts'] },
          { ...shared, displayName: 'terraform', testMatch: ['<rootDir>/e2e/k8s/*.tf.test.ts'] },
        ]
      : []),
  ],
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/scripts/summary-reporter.cjs'],
};
