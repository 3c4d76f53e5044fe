import { defineConfig } from 'vitest/config';

// The browser journeys: run by `npm run test:browser` (scripts/test-browser.mjs starts the server),
// never by `npm test`.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
