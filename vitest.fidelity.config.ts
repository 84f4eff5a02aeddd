import { defineConfig } from 'vitest/config';

// The real kubectl against the sandbox: proves the sandbox answers as an API server does.
export default defineConfig({
  test: { include: ['test/fidelity/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 60_000, pool: 'forks' },
});
