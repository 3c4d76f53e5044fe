import type { Logger } from '../logger.ts';
import { sweepDeadlines, type SweepDeps, type SweepReport } from './sweep-deadlines.ts';

export interface SweeperOptions {
  /** Mean time between passes. */
  intervalMs?: number;
  /** Each wait is the interval ± this fraction, so instances started together drift apart. */
  jitter?: number;
  /** Where passes that did something, and failures, are reported (e.g. the server's pino logger). */
  log?: Logger;
  /** Random source for the jitter (tests pass a fixed one). */
  random?: () => number;
  /**
   * Other periodic upkeep run after each pass (e.g. removing uploads never linked to a case). Each job
   * must itself be safe on several processes at once; a failing job is logged and the others still run.
   */
  housekeeping?: { name: string; run: () => Promise<object | null> }[];
}

export interface RunningSweeper {
  /** Stops scheduling and waits for a pass in progress to finish. */
  stop(): Promise<void>;
}

export const DEFAULT_SWEEP_INTERVAL_MS = 60_000;

/**
 * Runs the deadline sweeper in the background of a server process: one pass after a random first
 * delay, then every interval ± jitter. Every instance of a deployment may run it (DESIGN §9): passes
 * claim their rows with SKIP LOCKED. A failing pass is logged and the loop goes on; passes never
 * overlap within one process.
 */
export function startSweeper(deps: SweepDeps, options: SweeperOptions = {}): RunningSweeper {
  const interval = options.intervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
  const jitter = Math.min(Math.max(options.jitter ?? 0.2, 0), 1);
  const random = options.random ?? Math.random;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;

  const delay = (base: number) => Math.max(0, Math.round(base * (1 + jitter * (2 * random() - 1))));
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      running = pass().finally(() => {
        running = null;
        schedule(delay(interval));
      });
    }, ms);
    // the sweeper alone never keeps a process alive
    timer.unref();
  };
  const pass = async () => {
    try {
      const report: SweepReport = await sweepDeadlines(deps);
      if (report.examined > 0) options.log?.info({ sweep: report }, 'deadline sweep');
    } catch (error) {
      options.log?.error({ err: error }, 'deadline sweep failed');
    }
    for (const job of options.housekeeping ?? []) {
      try {
        const result = await job.run();
        if (result) options.log?.info({ [job.name]: result }, job.name);
      } catch (error) {
        options.log?.error({ err: error }, `${job.name} failed`);
      }
    }
  };

  schedule(delay(Math.min(interval, 5_000)));
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
