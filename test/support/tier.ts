/**
 * The test tier a file runs in: `npm test` (fast, on both databases) or `npm run test:slow` (once in
 * CI; vitest.slow.config.ts sets LIANDONG_TEST_TIER=slow). A file with a slow variant runs a short,
 * representative sample in the fast tier and everything in the slow one.
 */
export const SLOW_TIER = process.env.LIANDONG_TEST_TIER === 'slow';
