import type { Logger } from '../logger.ts';
import type { WebhookDeps } from './deps.ts';
import { deliverDueWebhooks } from './deliver-webhooks.ts';
import { fanOutWebhookEvents } from './fan-out-webhook-events.ts';

export interface WebhookWorkerOptions {
  /** Mean time between passes. */
  intervalMs?: number;
  /** Each wait is the interval ± this fraction, so instances started together drift apart. */
  jitter?: number;
  log?: Logger;
  random?: () => number;
}

export interface RunningWebhookWorker {
  /** Stops scheduling and waits for a pass in progress (its requests are bounded by the timeout). */
  stop(): Promise<void>;
}

export const DEFAULT_WEBHOOK_INTERVAL_MS = 2_000;

/**
 * Runs the webhook passes in the background of a server process: fan out new case events, then deliver
 * what is due; again after the interval ± jitter (sooner when a pass was full). Every instance runs it
 * (claims use SKIP LOCKED); a failing pass is logged and the loop goes on; passes never overlap.
 */
export function startWebhookWorker(
  deps: WebhookDeps,
  options: WebhookWorkerOptions = {},
): RunningWebhookWorker {
  const interval = options.intervalMs ?? DEFAULT_WEBHOOK_INTERVAL_MS;
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
      running = pass().then(
        (busy) => {
          running = null;
          schedule(busy ? 0 : delay(interval));
        },
        () => {
          running = null;
          schedule(delay(interval));
        },
      );
    }, ms);
    timer.unref();
  };
  const pass = async (): Promise<boolean> => {
    let busy = false;
    try {
      const fanned = await fanOutWebhookEvents(deps);
      if (fanned > 0) options.log?.info({ webhooks: { fannedOut: fanned } }, 'webhook events fanned out');
    } catch (error) {
      options.log?.error({ err: error }, 'webhook fan-out failed');
    }
    try {
      const report = await deliverDueWebhooks(deps);
      if (report.attempted > 0) options.log?.info({ webhooks: report }, 'webhook deliveries');
      busy = report.attempted >= 50;
    } catch (error) {
      options.log?.error({ err: error }, 'webhook delivery pass failed');
    }
    return busy;
  };
  schedule(delay(Math.min(interval, 1_000)));
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
