/**
 * `npm run fuzz -- [--runs N] [--seed S] [--by-route]`: the long fuzz run over every API route (issue 9, finding 4).
 * PGlite in memory by default; set TEST_DATABASE_URL to a PostgreSQL server to run there (a fresh
 * database is created and dropped). Prints a summary — requests, status counts, 5xx — and every 5xx
 * request; exits 1 when any answer was 5xx.
 */
import { parseArgs } from 'node:util';
import { createFuzzTarget, describeSummary, runFuzz } from '../test/support/fuzz.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10000' },
    seed: { type: 'string' },
    'by-route': { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`--runs must be a positive integer, got ${values.runs}`);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);

const database = process.env.TEST_DATABASE_URL ? 'PostgreSQL server' : 'PGlite (in memory)';
console.log(`fuzzing ${runs} requests on ${database}, seed ${seed} …`);
const target = await createFuzzTarget();
const started = Date.now();
try {
  const summary = await runFuzz(target, {
    runs,
    seed,
    onProgress: (done) => {
      if (done % 1000 === 0)
        console.log(`  ${done} requests, ${Math.round((Date.now() - started) / 1000)} s`);
    },
  });
  for (const f of summary.failures) {
    console.log(
      `5xx ${f.status} ${f.op} as ${f.who}: ${f.method} ${f.url}\n  payload ${JSON.stringify(f.payload)}\n  answer  ${f.body}`,
    );
  }
  if (values['by-route']) {
    for (const [route, statuses] of Object.entries(summary.byRoute).sort()) {
      const counts = Object.entries(statuses).map(([code, n]) => `${code}×${n}`);
      console.log(`  ${route.padEnd(48)} ${counts.join(' ')}`);
    }
  }
  console.log(describeSummary(summary));
  process.exitCode = summary.failures.length > 0 ? 1 : 0;
} finally {
  await target.close();
}
