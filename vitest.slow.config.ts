import { configDefaults, defineConfig } from 'vitest/config';
import { shared } from './vitest.config.ts';

/**
 * `npm run test:slow`: the slow tier, run once in CI (on embedded PGlite): the `*.slow.test.ts` files, and
 * the files that run a sample in `npm test` and everything here (they read `SLOW_TIER`,
 * test/support/tier.ts).
 */
export default defineConfig({
  test: {
    ...shared,
    include: [
      'src/**/*.slow.test.ts',
      'test/**/*.slow.test.ts',
      'test/cases-fuzz.test.ts',
      'test/api-fuzz.test.ts',
      'src/demo/history.test.ts',
    ],
    exclude: [...configDefaults.exclude, 'test/browser/**'],
    env: { ...shared.env, LIANDONG_TEST_TIER: 'slow' },
    testTimeout: 600_000,
  },
});
