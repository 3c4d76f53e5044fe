import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { CaseDeps } from '../app/cases/deps.ts';
import { createCaseChangeBus, type CaseChangeBus } from '../app/cases/events.ts';
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
    s = {
      database: ctx.database,
      files: localFileStore(path.join(ctx.config.dataDir, 'files')),
      changes: bus,
      bus,
      now: ctx.now ?? (() => new Date()),
      log,
    };
    services.set(ctx, s);
    const created = s;
    app.addHook('onClose', async () => {
      services.delete(ctx);
      await created.bus.close();
    });
  }
  return s;
}

/** The client address for audit records. */
export const clientAddress = (request: { ip: string }): string => request.ip;
