/**
 * What `serve --demo` does once the background demo history ends: a user gets a friendly note and a
 * server that carries on; CI (or DEMO_STRICT=1) gets a failed start, so a broken history is never
 * hidden behind a green browser suite. A history that "succeeds" with refused steps counts as failed.
 */
import type { DemoHistoryReport } from '../demo/history.ts';

export interface DemoHistoryVerdict {
  ok: boolean;
  /** Stop the server with exit code 1. */
  exit: boolean;
  message: string;
}

export function judgeDemoHistory(
  outcome: { report: DemoHistoryReport } | { error: unknown },
  strict: boolean,
): DemoHistoryVerdict {
  let problem: string | null = null;
  if ('error' in outcome) {
    problem = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
  } else if (outcome.report.failures.length > 0) {
    const [first] = outcome.report.failures;
    problem = `${outcome.report.failures.length} steps refused, the first: ${first}`;
  }
  if (problem === null) return { ok: true, exit: false, message: 'demo history complete' };
  return strict
    ? { ok: false, exit: true, message: `demo history failed (strict: stopping): ${problem}` }
    : {
        ok: false,
        exit: false,
        message: `demo history failed; the server carries on with a partial demo: ${problem}`,
      };
}
