import { defineConfig } from 'vitest/config';

// The default suite: unit, integration (real clients against the in-process sandbox) and infra.
// The kubectl fidelity suite and the browser suite have their own configs, run by .ci/run.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/infra/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
  },
});
