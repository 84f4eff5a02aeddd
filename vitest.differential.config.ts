import { defineConfig } from 'vitest/config';

// The issue #11 differential scenario on one target (REGOPS_TEST_TARGET=sandbox|testbed); see
// test/fidelity/differential/. Not part of `npm test`: the testbed target needs its own build.
export default defineConfig({
  test: { include: ['test/fidelity/differential/**/*.scenario.ts'], testTimeout: 1_800_000, hookTimeout: 600_000, pool: 'forks' },
});
