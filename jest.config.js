/**
 * Three tiers that run apart, plus the local stack package's tests: `unit` never touches the network; `workflows` and `e2e` share one
 * local stack that test/support/global-setup.ts starts (or reuses, when AWS_ENDPOINT_URL is set).
 */
// By path, so the local stack's own `npm test --workspace local-stack` (run from its folder) finds it too.
const tsJest = {
  '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: new URL('./tsconfig.json', import.meta.url).pathname }],
};
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: tsJest,
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
};

export default {
  // Workflow and e2e tests wait on real executions (retries included); each waits on readiness, never a fixed sleep.
  testTimeout: 90_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    // The local stack's own tests (scripts/local-stack is a package of its own); no network either.
    { ...common, displayName: 'local-stack', testMatch: ['<rootDir>/scripts/local-stack/test/**/*.test.ts'] },
    {
      ...common,
      displayName: 'workflows',
      testMatch: ['<rootDir>/test/workflows/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      // A call the test stack refused fails the test that made it, with the stack's reason.
      setupFilesAfterEnv: ['<rootDir>/test/support/iam-refusals.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      // A call the test stack refused fails the test that made it, with the stack's reason.
      setupFilesAfterEnv: ['<rootDir>/test/support/iam-refusals.ts'],
    },
    {
      // Through the public API only, so it runs against a deployed stage too (npm run test:deployed).
      ...common,
      displayName: 'deployed',
      testMatch: ['<rootDir>/test/deployed/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      // A call the test stack refused fails the test that made it, with the stack's reason.
      setupFilesAfterEnv: ['<rootDir>/test/support/iam-refusals.ts'],
    },
  ],
};
