import type { Command } from 'commander';
import type { Config } from '../../config.ts';
import type { Logger } from '../../app/logger.ts';
import { deliverDueWebhooks } from '../../app/webhooks/deliver-webhooks.ts';
import { fanOutWebhookEvents } from '../../app/webhooks/fan-out-webhook-events.ts';
import { startWebhookWorker } from '../../app/webhooks/run-webhook-worker.ts';
import type { Database } from '../../db/database.ts';

/** JSON lines on stderr, like the server's log. */
const stderrLog: Logger = {
  error: (obj, msg) => console.error(JSON.stringify({ level: 'error', msg, ...serialise(obj) })),
  warn: (obj, msg) => console.error(JSON.stringify({ level: 'warn', msg, ...serialise(obj) })),
  info: (obj, msg) => console.error(JSON.stringify({ level: 'info', msg, ...serialise(obj) })),
};
function serialise(obj: object): object {
  const err = (obj as { err?: unknown }).err;
  return err instanceof Error ? { ...obj, err: { message: err.message, stack: err.stack } } : obj;
}

/**
 * `webhooks deliver`: one pass of what `serve` runs in the background (fan out new case events, send what
 * is due), or with `--watch` the same loop as the server until SIGTERM/SIGINT — for deployments that
 * deliver from a separate process, and for the multi-process test.
 */
export function registerWebhookCommands(
  program: Command,
  open: () => Promise<Database>,
  config: Config,
): void {
  const webhooks = program.command('webhooks').description('signed webhooks to other systems');
  webhooks
    .command('deliver')
    .description('fan out new case events to the subscriptions and send the deliveries that are due')
    .option('--watch', 'keep delivering (every --interval ms) until stopped')
    .option('--interval <ms>', 'mean time between passes with --watch', '2000')
    .action(async (opts: { watch?: boolean; interval: string }) => {
      const database = await open();
      const deps = {
        database,
        now: () => new Date(),
        log: stderrLog,
        allowLocal: config.webhooksAllowLocal,
        timeoutMs: config.webhookTimeoutMs,
      };
      if (!opts.watch) {
        try {
          const fannedOut = await fanOutWebhookEvents(deps);
          const report = await deliverDueWebhooks(deps);
          console.log(JSON.stringify({ fannedOut, ...report }));
        } finally {
          await database.close();
        }
        return;
      }
      const worker = startWebhookWorker(deps, { intervalMs: Number(opts.interval) || 2000, log: stderrLog });
      await new Promise<void>((resolve) => {
        process.once('SIGTERM', resolve);
        process.once('SIGINT', resolve);
        // the worker's timer is unref'd: this keeps the process alive until a signal
        setInterval(() => undefined, 1 << 30);
      });
      await worker.stop();
      await database.close();
      process.exit(0);
    });
}
