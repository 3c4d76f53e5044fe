import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take seconds of CPU each, longest first. They start first, so that no core sits idle
 * at the end of the run waiting for one of them. Vitest orders by the last run's durations when it has
 * them (a developer's machine) and by file size when it has not (CI) — which put the short-to-read,
 * long-to-run demo history last.
 */
const HEAVY = [
  'src/demo/history.test.ts',
  'test/api-fuzz.test.ts',
  'test/cases-fuzz.test.ts',
  'src/demo/territory.test.ts',
  'test/access-matrix.test.ts',
  'test/audit-key.test.ts',
];
class HeavyFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = HEAVY.findIndex((h) => f.moduleId.endsWith(h));
      return i === -1 ? HEAVY.length : i;
    };
    return [...(await super.sort(files))].sort((a, b) => rank(a) - rank(b));
  }
}

/**
 * `npm test`: the fast tier (every unit, API and database test; on PostgreSQL too with TEST_DATABASE_URL).
 * The slow tier — `*.slow.test.ts`, run once in CI by `npm run test:slow` (vitest.slow.config.ts) —
 * holds what takes minutes: the three-month demo history and the full action fuzz. `npm test` keeps a
 * short version of each.
 */
export const shared = {
  // deadlines are computed in Asia/Shanghai explicitly; run in UTC so nothing leans on the host zone
  env: { TZ: 'UTC' },
  // the pre-migrated database image, built once per run (test/support/images.ts)
  globalSetup: ['test/support/global-setup.ts'],
  setupFiles: ['test/support/setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
  pool: 'forks' as const,
  // one process per core runs file after file, importing fastify, kysely and PGlite once instead of
  // once per file (about 40 % of the suite's CPU time). Each file still gets its own database; a file
  // must not leave global state behind (env, fake timers, module-level caches of data it changed).
  isolate: false,
  // every core (vitest's default leaves one free, which on a 2-core machine halves the suite's speed)
  maxWorkers: availableParallelism(),
  sequence: { sequencer: HeavyFirst },
};

export default defineConfig({
  test: {
    ...shared,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // the browser journeys need a running server: `npm run test:browser` (test/browser/vitest.config.ts)
    exclude: [...configDefaults.exclude, 'test/browser/**', '**/*.slow.test.ts'],
  },
});
