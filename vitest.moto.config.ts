import { defineConfig } from 'vitest/config';

// The storage/secret adapter suites against moto's server (PyPI moto[server] from .ci/python-tools.sh):
// the same bodies `npm test` runs against the sandbox's AWS emulator (test/integration/adapters/aws-targets.ts).
export default defineConfig({
  test: { include: ['test/integration/adapters/**/*.moto.ts'], testTimeout: 60_000, hookTimeout: 180_000, pool: 'forks' },
});
