/** Timing helpers for the bench: bounded loops with fixed concurrency, latency percentiles. */

export interface Measurement {
  ops: number;
  failed: number;
  wallMs: number;
  opsPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

/**
 * Runs `op(i)` for i = 0…n−1 with `concurrency` workers (each awaits its previous call), timing every
 * call. A call that throws or returns false counts as failed (and its latency still counts).
 */
export async function measure(
  n: number,
  concurrency: number,
  op: (i: number) => Promise<unknown>,
): Promise<Measurement> {
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const t = performance.now();
      try {
        if ((await op(i)) === false) failed++;
      } catch {
        failed++;
      }
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  const wallMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    ops: n,
    failed,
    wallMs,
    opsPerSec: (n / wallMs) * 1000,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    p99Ms: percentile(latencies, 0.99),
  };
}

/** Synchronous work: how many calls of `op` per second over `n` calls (one thread, no latency list). */
export function measureSync(
  n: number,
  op: (i: number) => unknown,
): { ops: number; opsPerSec: number; perOpUs: number } {
  const started = performance.now();
  for (let i = 0; i < n; i++) op(i);
  const ms = performance.now() - started;
  return { ops: n, opsPerSec: (n / ms) * 1000, perOpUs: (ms * 1000) / n };
}

export const fmt = (x: number, digits = 1): string =>
  Number.isFinite(x)
    ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '–';

/** A markdown table. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}
