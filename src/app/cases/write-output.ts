import type { Kysely } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import type { WorkingCalendar } from '../../core/calendar/working-calendar.ts';
import { formatUnit } from '../../core/policy/units.ts';
import { actionLabel, type CaseEffect, type TransitionOutput } from '../../core/workflow/index.ts';
import type { DB } from '../../db/schema/index.ts';
import {
  extendClock,
  pauseClock,
  resumeClock,
  startClock,
  stopClock,
  syncCaseDeadline,
  type StoppedClock,
} from './clocks.ts';
import { writeNotifications, type NotificationDraft } from './notify.ts';
import type { Stage } from '../../db/schema/cases.ts';

/**
 * Carries out what a transition decided, inside its transaction: the stage clocks, the event rows (with
 * time used against the limit of the stage each one finished) and the notifications. The case row itself
 * is written by the caller before (the event's foreign key needs it).
 */
export async function writeTransitionOutput(
  trx: Kysely<DB>,
  context: { calendar: WorkingCalendar; now: Date; actor: Actor; caseNo: string; description: string },
  output: TransitionOutput,
): Promise<{ eventIds: number[] }> {
  const { next } = output;
  const clock = {
    trx,
    calendar: context.calendar,
    now: context.now,
    caseId: next.id,
    categoryCode: next.categoryCode,
    urgency: next.urgency,
  };
  const stopped = new Map<Stage, StoppedClock>();
  for (const effect of output.effects) {
    const done = await applyClockEffect(clock, effect);
    if (done) stopped.set(done.stage, done);
  }
  await syncCaseDeadline(clock);

  const eventIds: number[] = [];
  for (const [i, draft] of output.events.entries()) {
    const finished = draft.stage ? stopped.get(draft.stage) : undefined;
    const row = await trx
      .insertInto('case_events')
      .values({
        case_id: draft.caseId,
        seq: next.version - (output.events.length - 1 - i),
        at: draft.at,
        action: draft.action,
        from_state: draft.fromState,
        to_state: draft.toState,
        actor_user_id: context.actor.userId,
        actor_name: context.actor.displayName,
        actor_role: context.actor.role,
        actor_unit: formatUnit(context.actor.unit),
        payload: JSON.stringify(draft.payload),
        stage: draft.stage,
        time_used: finished?.used ?? null,
        time_limit: finished?.limit ?? null,
        time_unit: finished?.unit ?? null,
        on_time: draft.stage ? (finished?.onTime ?? !draft.overdue) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    eventIds.push(Number(row.id));
  }

  const drafts: NotificationDraft[] = output.effects.flatMap((e) =>
    e.kind === 'notify'
      ? [
          {
            to: e.to,
            kind: e.topic,
            caseId: next.id,
            payload: {
              caseNo: context.caseNo,
              action: e.topic,
              actionName: actionLabel(e.topic),
              state: next.state,
              categoryCode: next.categoryCode,
              urgent: e.urgent,
              receipt: e.receipt,
              summary: context.description.slice(0, 120),
              by: context.actor.displayName,
            },
          },
        ]
      : [],
  );
  await writeNotifications(trx, drafts, { reporterIds: next.reporterIds, at: context.now });
  return { eventIds };
}

async function applyClockEffect(
  clock: Parameters<typeof startClock>[0],
  effect: CaseEffect,
): Promise<StoppedClock | null> {
  switch (effect.kind) {
    case 'start_clock':
      await startClock(clock, effect.stage);
      return null;
    case 'stop_clock':
      return stopClock(clock, effect.stage);
    case 'pause_clock':
      await pauseClock(clock, effect.stage);
      return null;
    case 'resume_clock':
      await resumeClock(clock, effect.stage);
      return null;
    case 'extend_clock':
      await extendClock(clock, effect.stage, effect.dueAt);
      return null;
    case 'notify':
    case 'merge_into':
      return null;
  }
}
