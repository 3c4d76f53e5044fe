import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // the browser journeys need a running server: `npm run test:browser` (test/browser/vitest.config.ts)
    exclude: [...configDefaults.exclude, 'test/browser/**'],
    // deadlines are computed in Asia/Shanghai explicitly; run in UTC so nothing leans on the host zone
    env: { TZ: 'UTC' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
