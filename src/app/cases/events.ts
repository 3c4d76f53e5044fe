import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import type { CaseScopeRow } from '../../core/policy/case-scope.ts';
import type { Database } from '../../db/database.ts';
import { SILENT, type Logger } from '../logger.ts';

/**
 * Live case changes (DESIGN §8: server-sent events across instances). Use cases publish after commit;
 * the SSE route subscribes and filters each change by the listener's case scope, which is why a change
 * carries the scope columns of the case.
 */
export interface CaseChange {
  caseId: string;
  caseNo: string;
  action: string;
  state: string;
  version: number;
  at: string;
  scope: CaseScopeRow;
}

/**
 * A warning raised or acted on (issue 13: warnings arrive live at the owning centre). The SSE route
 * sends it to the streams whose actor may see the warning (`canSeeWarning`: the owning street centre and
 * the district); consoles re-read what they show.
 */
export interface WarningChange {
  warningId: string;
  rule: string;
  /** raise | acknowledge | convert | dismiss */
  action: string;
  state: string;
  /** the owning street centre's code */
  ownerCode: string;
  at: string;
}

export interface CaseChangePublisher {
  /** Announces committed changes. Never throws: live updates are best effort, the database is the truth. */
  publish(changes: readonly CaseChange[]): void;
  /** Announces committed warning changes (same channel, same guarantees); absent on silent publishers. */
  publishWarnings?(changes: readonly WarningChange[]): void;
}

export interface CaseChangeBus extends CaseChangePublisher {
  publishWarnings(changes: readonly WarningChange[]): void;
  /** Calls `listener` for every change, from this instance or (on PostgreSQL) any other. */
  subscribe(listener: (change: CaseChange) => void): () => void;
  /** Calls `listener` for every warning change, from this instance or (on PostgreSQL) any other. */
  subscribeWarnings(listener: (change: WarningChange) => void): () => void;
  /** Resolves once changes from other instances are being received (at once without a server). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

const CHANNEL = 'liandong_case_changes';
// NOTIFY payloads are limited to 8000 bytes; a change is far smaller, but never send a broken one
const MAX_PAYLOAD = 7900;

interface Envelope {
  from: string;
  change?: CaseChange;
  warning?: WarningChange;
}

/**
 * In-process EventEmitter; with a PostgreSQL server (`databaseUrl`), changes also go out by
 * `pg_notify` and come in by `LISTEN` on a dedicated connection (opened on the first subscriber), so
 * every instance behind a load balancer sees every change. Changes from this instance are delivered
 * locally at once and skipped when they come back from the server.
 */
export function createCaseChangeBus(
  database: Database,
  options: { databaseUrl?: string | undefined; log?: Logger } = {},
): CaseChangeBus {
  const log = options.log ?? SILENT;
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const instance = randomBytes(8).toString('hex');
  const remote = database.kind === 'postgresql' && options.databaseUrl ? options.databaseUrl : null;
  let client: pg.Client | null = null;
  let connecting: Promise<void> | null = null;
  let closed = false;

  const deliver = (change: CaseChange) => emitter.emit('change', change);
  const deliverWarning = (change: WarningChange) => emitter.emit('warning', change);
  const listeners = () => emitter.listenerCount('change') + emitter.listenerCount('warning');

  const RETRY_MS = 2_000;
  let retry: NodeJS.Timeout | null = null;
  // while anyone listens, a lost or failed LISTEN connection is re-opened after a pause
  const retryLater = () => {
    if (closed || retry || listeners() === 0) return;
    retry = setTimeout(() => {
      retry = null;
      void listen();
    }, RETRY_MS);
    retry.unref();
  };

  const listen = async (): Promise<void> => {
    if (connecting) return connecting;
    if (!remote || client || closed) return;
    connecting = (async () => {
      const c = new pg.Client({ connectionString: remote });
      c.on('notification', (msg) => {
        try {
          const envelope = JSON.parse(msg.payload ?? '') as Envelope;
          if (envelope.from === instance) return;
          if (envelope.change) deliver(envelope.change);
          if (envelope.warning) deliverWarning(envelope.warning);
        } catch (error) {
          // another application on the channel, or a truncated message: skip it, but say so
          log.warn({ err: error, channel: CHANNEL }, 'case change bus: unreadable notification skipped');
        }
      });
      c.on('error', (error) => {
        log.warn({ err: error }, 'case change bus: LISTEN connection lost; reconnecting');
        if (client === c) client = null;
        c.end().catch((e: unknown) =>
          log.warn({ err: e }, 'case change bus: closing a lost connection failed'),
        );
        retryLater();
      });
      try {
        await c.connect();
        await c.query(`listen ${CHANNEL}`);
      } catch (error) {
        log.warn({ err: error, retryMs: RETRY_MS }, 'case change bus: LISTEN failed; retrying');
        await c.end().catch(() => undefined); // the connection never opened: nothing to report
        retryLater();
        return;
      }
      if (closed) await c.end();
      else client = c;
    })().finally(() => {
      connecting = null;
    });
    await connecting;
  };

  /** Out to the other instances: best effort (the database is the truth), but a lost announcement is logged. */
  const announce = (envelope: Envelope, about: Record<string, unknown>) => {
    if (!remote) return;
    const payload = JSON.stringify(envelope);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD) {
      log.warn({ ...about, bytes: Buffer.byteLength(payload) }, 'case change too large for pg_notify');
      return;
    }
    sql`select pg_notify(${CHANNEL}, ${payload})`
      .execute(database.db)
      .catch((error: unknown) =>
        log.error(
          { err: error, ...about },
          'case change bus: pg_notify failed; other instances miss this change',
        ),
      );
  };

  return {
    publish(changes) {
      for (const change of changes) {
        deliver(change);
        announce({ from: instance, change }, { caseId: change.caseId, action: change.action });
      }
    },
    publishWarnings(changes) {
      for (const warning of changes) {
        deliverWarning(warning);
        announce({ from: instance, warning }, { warningId: warning.warningId, action: warning.action });
      }
    },
    subscribeWarnings(listener) {
      emitter.on('warning', listener);
      void listen();
      return () => emitter.off('warning', listener);
    },
    subscribe(listener) {
      emitter.on('change', listener);
      void listen();
      return () => emitter.off('change', listener);
    },
    async ready() {
      await listen();
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      emitter.removeAllListeners();
      await connecting;
      const c = client;
      client = null;
      await c?.end().catch((error: unknown) => log.warn({ err: error }, 'case change bus: close failed'));
    },
  };
}

/** Subscribes to the case changes of `bus` (the name the SSE route and other consumers import). */
export const subscribeCaseChanges = (
  bus: CaseChangeBus,
  listener: (change: CaseChange) => void,
): (() => void) => bus.subscribe(listener);

/** A publisher that drops everything (CLI scripts, the demo history). */
export const NO_CHANGES: CaseChangePublisher = { publish: () => undefined };
