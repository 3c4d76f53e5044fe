import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { CaseDeps } from '../app/cases/deps.ts';
import { createCaseChangeBus, type CaseChangeBus, type CaseChangePublisher } from '../app/cases/events.ts';
import { evaluateWarningsNear, TRIGGERING_ACTIONS } from '../app/warnings/evaluate-warnings.ts';
import { localFileStore } from '../app/cases/file-store.ts';
import type { AppContext } from './context.ts';

export type CaseServices = CaseDeps & { bus: CaseChangeBus };

const services = new WeakMap<AppContext, CaseServices>();

/**
 * The case use cases' dependencies for one server: attachments under DATA_DIR/files, and one change
 * bus shared by the routes that publish (cases) and the one that streams (events). Created on first
 * use and closed with the server.
 */
export function caseServices(ctx: AppContext, app: FastifyInstance): CaseServices {
  let s = services.get(ctx);
  if (!s) {
    const log = app.log.child({ component: 'cases' });
    const bus = createCaseChangeBus(ctx.database, { databaseUrl: ctx.config.databaseUrl, log });
    const now = ctx.now ?? (() => new Date());
    const triggers = ctx.warningTriggers ? warningTriggers(ctx, bus, now, log) : null;
    s = {
      database: ctx.database,
      files: localFileStore(path.join(ctx.config.dataDir, 'files')),
      changes: triggers?.changes ?? bus,
      bus,
      now,
      log,
    };
    services.set(ctx, s);
    const created = s;
    app.addHook('onClose', async () => {
      services.delete(ctx);
      await triggers?.settled();
      await created.bus.close();
    });
  }
  return s;
}

/** The client address for audit records. */
export const clientAddress = (request: { ip: string }): string => request.ip;

/**
 * The case changes of this instance pass through here after commit: reported, registered and reopened
 * cases have the warning rules about their place evaluated (one after another, off the request; the
 * evaluation claims the job's row, so across instances it runs once, and it logs and swallows its errors).
 */
function warningTriggers(
  ctx: AppContext,
  bus: CaseChangeBus,
  now: () => Date,
  log: NonNullable<CaseServices['log']>,
) {
  let chain: Promise<unknown> = Promise.resolve();
  const changes: CaseChangePublisher = {
    publish(list) {
      bus.publish(list);
      for (const change of list) {
        if (!TRIGGERING_ACTIONS.has(change.action)) continue;
        chain = chain.then(() =>
          evaluateWarningsNear({ database: ctx.database, now, changes: bus, log }, change.caseId),
        );
      }
    },
    publishWarnings: (list) => bus.publishWarnings(list),
  };
  return { changes, settled: () => chain };
}
