import { defineConfig } from 'vitest/config';

// Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core: the drift page.
export default defineConfig({
  test: { include: ['test/browser/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 60_000, pool: 'forks' },
});
