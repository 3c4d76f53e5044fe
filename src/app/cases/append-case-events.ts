import type { Kysely, Updateable } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import type { TimeUnit } from '../../core/calendar/deadline.ts';
import { AppError } from '../../core/errors.ts';
import { formatUnit } from '../../core/policy/units.ts';
import type { CaseState, ClockStage } from '../../core/workflow/states.ts';
import type { CasesTable } from '../../db/schema/cases.ts';
import type { DB } from '../../db/schema/index.ts';
import { refreshCaseEvaluation } from '../evaluation/rollups.ts';

/** One row of the case event log, as the writers describe it. */
export interface CaseEventEntry {
  /** A workflow action, or a platform event such as the sweeper's `overdue_escalation`. */
  action: string;
  fromState: CaseState | null;
  toState: CaseState;
  at: Date;
  payload: unknown;
  /** The stage the event finished (null for events that finish none). */
  stage: ClockStage | null;
  /** Time used against the stage's limit, when a clock stopped with this event. */
  timing?: { used: number; limit: number; unit: TimeUnit } | null;
  onTime?: boolean | null;
}

/**
 * THE writer of the case event log (case_events): raises the case's version by one per event and inserts
 * the events with consecutive sequence numbers ending at the new version, in the caller's transaction.
 * `fromVersion` makes the bump conditional (optimistic concurrency: a concurrent writer means
 * `version_conflict`); `set` carries columns to change together with the bump. Used by the use cases
 * (writeTransitionOutput) and the deadline sweeper alike. Each event also gets its webhook outbox row here, in
 * the same statement, so no event ever escapes the webhooks (src/app/webhooks/).
 */
export async function appendCaseEvents(
  trx: Kysely<DB>,
  target: {
    caseId: string;
    fromVersion?: number;
    /**
     * The case is being created in this transaction and its row is written after the events, at version
     * `fromVersion` (createCase; the case_events → cases key is checked at commit, migration 0012).
     */
    created?: boolean;
    at: Date;
    set?: Updateable<CasesTable>;
  },
  actor: Actor,
  events: readonly CaseEventEntry[],
): Promise<{ version: number; eventIds: number[] }> {
  if (events.length === 0) throw new AppError('internal', 'appendCaseEvents needs at least one event');
  let version: number;
  if (target.created) {
    // the creating transaction writes the case row after its events (at this version), so there is
    // nothing to bump: the row's version column starts where the events end
    if (target.fromVersion === undefined) throw new AppError('internal', 'a created case needs its version');
    version = target.fromVersion;
  } else {
    let bump = trx
      .updateTable('cases')
      .set((eb) => ({
        ...target.set,
        version: eb('version', '+', events.length),
        updated_at: target.at,
      }))
      .where('id', '=', target.caseId);
    if (target.fromVersion !== undefined) bump = bump.where('version', '=', target.fromVersion);
    const bumped = await bump.returning('version').executeTakeFirst();
    if (!bumped) {
      throw new AppError('version_conflict', 'The case was changed meanwhile', {
        ...(target.fromVersion !== undefined ? { currentVersion: target.fromVersion + 1 } : {}),
      });
    }
    version = bumped.version;
  }
  const first = version - events.length + 1;
  // the events and their outbox rows in one statement (src/app/webhooks/README.md): the webhook deliveries
  // of an event exist exactly when the event committed, whatever crashes afterwards
  const rows = await trx
    .with('inserted', (db) =>
      db
        .insertInto('case_events')
        .values(
          events.map((e, i) => ({
            case_id: target.caseId,
            seq: first + i,
            at: e.at,
            action: e.action,
            from_state: e.fromState,
            to_state: e.toState,
            actor_user_id: actor.userId,
            actor_name: actor.displayName,
            actor_role: actor.role,
            actor_unit: formatUnit(actor.unit),
            payload: JSON.stringify(e.payload),
            stage: e.stage,
            time_used: e.timing?.used ?? null,
            time_limit: e.timing?.limit ?? null,
            time_unit: e.timing?.unit ?? null,
            on_time: e.onTime ?? null,
          })),
        )
        .returning('id'),
    )
    .insertInto('webhook_outbox')
    .columns(['event_id'])
    .expression((eb) => eb.selectFrom('inserted').select('inserted.id'))
    .returning('event_id')
    .execute();
  // the evaluation's items and day roll-ups of this case, in the same transaction (a created case's row
  // comes after its events: createCase refreshes once the row is written)
  if (!target.created) await refreshCaseEvaluation(trx, [target.caseId]);
  // sort: the order of returned rows is not promised
  return { version, eventIds: rows.map((r) => Number(r.event_id)).sort((a, b) => a - b) };
}
