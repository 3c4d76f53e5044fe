import type { Kysely } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import { isCaseInScope } from '../../core/policy/case-scope.ts';
import {
  absorbDuplicate,
  allowedActions,
  CASE_ACTION_LIST,
  transition,
  type CaseSnapshot,
  type CaseTransitionAction,
  type TransitionOutput,
} from '../../core/workflow/index.ts';
import type { CasesTable } from '../../db/schema/cases.ts';
import type { DB } from '../../db/schema/index.ts';
import type { Updateable } from 'kysely';
import { appendAudit } from '../audit/append-audit.ts';
import { loadCalendar } from '../calendar/load-calendar.ts';
import { changeOf, columnsOf, loadCase, scopeRowOf, toSnapshot, type CaseRow } from './case-record.ts';
import { withDatabaseErrors } from './db-errors.ts';
import type { CaseDeps } from './deps.ts';
import { linkAttachments, type AttachmentUse } from './link-attachments.ts';
import { presentSummary, type CaseSummary } from './present-case.ts';
import { citizenSummary } from './present-citizen-view.ts';
import { seesPublicViewOnly } from '../../core/policy/citizen-view.ts';
import { checkReferences, resolvePayload, transitionFacts } from './resolve-payload.ts';
import { writeTransitionOutput } from './write-output.ts';

export interface CaseActionInput {
  /** Case id (UUID) or case number. */
  caseRef: string;
  action: string;
  /** The version the client saw; a different current version is `version_conflict`. */
  version: number;
  payload: unknown;
}

export interface CaseActionResult {
  case: CaseSummary;
  /** The event the action wrote (its id and sequence number in the timeline). */
  event: { id: number; seq: number; action: CaseTransitionAction };
  /** What the actor may do next (empty when the action took the case out of their scope). */
  allowedActions: CaseTransitionAction[];
}

/** Refusals that depend on what the platform fills in or looks up (payload, department coverage). */
const PAYLOAD_DEPENDENT = new Set(['validation_failed', 'unprocessable']);

export const isTransitionAction = (action: string): action is CaseTransitionAction =>
  action !== 'report' && (CASE_ACTION_LIST as readonly string[]).includes(action);

/**
 * Performs one workflow action (DESIGN §4) in one transaction: locks the case, checks scope (outside →
 * `not_found`) and version (stale → `version_conflict` with the current version), asks the pure
 * workflow, then writes the case, the event row with time used vs limit, the stage clocks, the
 * notifications, the attachment links and the audit record together. Live updates go out after commit.
 */
export async function performCaseAction(
  deps: CaseDeps,
  actor: Actor,
  input: CaseActionInput,
  options: { clientAddress?: string | undefined } = {},
): Promise<CaseActionResult> {
  const { action } = input;
  if (!isTransitionAction(action)) throw new AppError('not_found', `No case action ${action}`);
  const now = deps.now();
  const { calendar } = await loadCalendar(deps.database);

  const done = await withDatabaseErrors(() =>
    deps.database.db.transaction().execute(async (trx) => {
      const row = await loadCase(trx, input.caseRef, { lock: true });
      if (!isCaseInScope(scopeRowOf(row), actor)) throw new AppError('not_found', `No case ${input.caseRef}`);
      if (row.version !== input.version) {
        throw new AppError(
          'version_conflict',
          `The case is at version ${row.version}, not ${input.version}`,
          {
            currentVersion: row.version,
          },
        );
      }
      const snapshot = toSnapshot(row);
      // state and role first, so an impossible action says so before any payload detail
      const first = transition(snapshot, action, input.payload, actor, now);
      if (!first.ok && !PAYLOAD_DEPENDENT.has(first.error.code)) throw first.error;
      const payload = await resolvePayload(trx, actor, row, action, input.payload);
      const facts = await transitionFacts(trx, action, payload);
      const result = transition(snapshot, action, payload, actor, now, facts);
      if (!result.ok) throw result.error;
      const output = result.value;
      const applied = output.events[0]?.payload ?? {};
      await checkReferences(trx, row, action, applied);

      await writeCase(trx, row, output, now);
      const { eventIds } = await writeTransitionOutput(
        trx,
        { calendar, now, actor, caseNo: row.case_no, description: row.description },
        output,
      );
      await linkAttachments(
        trx,
        actor,
        { caseId: row.id, eventId: eventIds[0]! },
        attachmentUses(action, applied),
      );
      const changed = [row.id];
      for (const effect of output.effects) {
        if (effect.kind !== 'merge_into') continue;
        changed.push(await absorbInto(trx, { calendar, now, actor }, effect.masterCaseId, output.next));
      }
      await appendAudit(trx, {
        actor,
        action: `case.${action}`,
        target: `case:${row.id}`,
        address: options.clientAddress ?? null,
        payload: {
          caseNo: row.case_no,
          from: row.state,
          to: output.next.state,
          version: output.next.version,
        },
        at: now,
      });
      const rows = await trx.selectFrom('cases').selectAll().where('id', 'in', changed).execute();
      return { rows, next: output.next, eventId: eventIds[0]! };
    }),
  );

  deps.changes.publish(done.rows.map((r) => changeOf(r, r.id === done.next.id ? action : 'merge', now)));
  const updated = done.rows.find((r) => r.id === done.next.id)!;
  const visible = isCaseInScope(scopeRowOf(updated), actor);
  const summary = presentSummary(updated, now, calendar);
  return {
    // a citizen's comment or follow-up answers with the public view of the case (issue 11 §5)
    case: seesPublicViewOnly(actor) ? citizenSummary(summary) : summary,
    event: { id: done.eventId, seq: updated.version, action },
    allowedActions: visible ? allowedActions(toSnapshot(updated), actor, now) : [],
  };
}

/** Writes the changed fields and the state's timestamps; the version guard repeats the lock's promise. */
async function writeCase(trx: Kysely<DB>, row: CaseRow, output: TransitionOutput, now: Date): Promise<void> {
  // the version is raised by appendCaseEvents (writeTransitionOutput), with the event rows
  const { version: _version, ...columns } = columnsOf(output.changes);
  const set: Updateable<CasesTable> = { ...columns, updated_at: now };
  const to = output.next.state;
  if (to !== row.state) {
    if (to === 'registered') set.registered_at = now;
    if (to === 'dispatched') set.dispatched_at = now;
    if (to === 'handled') set.handled_at = now;
    if (to === 'closed') set.closed_at = now;
    if (row.state === 'closed') set.closed_at = null;
  }
  if (output.changes.categoryCode) {
    const category = await trx
      .selectFrom('categories')
      .select('stability')
      .where('code', '=', output.changes.categoryCode)
      .executeTakeFirstOrThrow();
    set.stability = category.stability;
  }
  const updated = await trx
    .updateTable('cases')
    .set(set)
    .where('id', '=', row.id)
    .where('version', '=', row.version)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) {
    throw new AppError('version_conflict', 'The case was changed meanwhile', {
      currentVersion: row.version + 1,
    });
  }
}

/** The master's side of a merge (absorbDuplicate): more reporters, a `merge` event. Returns its id. */
async function absorbInto(
  trx: Kysely<DB>,
  context: { calendar: Parameters<typeof writeTransitionOutput>[1]['calendar']; now: Date; actor: Actor },
  masterId: string,
  duplicate: CaseSnapshot,
): Promise<string> {
  const master = await loadCase(trx, masterId, { lock: true });
  const result = absorbDuplicate(toSnapshot(master), duplicate, context.actor, context.now);
  if (!result.ok) throw result.error;
  await writeCase(trx, master, result.value, context.now);
  await writeTransitionOutput(
    trx,
    { ...context, caseNo: master.case_no, description: master.description },
    result.value,
  );
  return master.id;
}

/** Which payload fields of an action name attachments, and what they show. */
function attachmentUses(action: CaseTransitionAction, p: Record<string, unknown>): AttachmentUse[] {
  const ids = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const purpose = action === 'handle' || action === 'handle_locally' ? 'after' : 'evidence';
  return [{ ids: ids(p.photos), purpose }];
}
