import { defineConfig } from 'vitest/config';

// The real testbed (functions/testbed): real control planes and the real registry operator. Needs the
// binaries of `npm run testbed:build` (Go) and REGOPS_OPERATOR_BIN (functions/testbed/README.md).
export default defineConfig({
  test: { include: ['test/testbed/**/*.test.ts'], testTimeout: 900_000, hookTimeout: 900_000, pool: 'forks', fileParallelism: false },
});
