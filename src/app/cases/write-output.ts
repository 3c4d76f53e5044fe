import type { Kysely } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import type { WorkingCalendar } from '../../core/calendar/working-calendar.ts';
import { AppError } from '../../core/errors.ts';
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
import { appendCaseEvents } from './append-case-events.ts';
import { writeNotifications, type NotificationDraft } from './notify.ts';
import type { Stage } from '../../db/schema/cases.ts';

/**
 * Carries out what a transition decided, inside its transaction: the stage clocks, the event rows (with
 * time used against the limit of the stage each one finished, through appendCaseEvents, which raises the
 * version) and the notifications. The case's other columns are written by the caller before.
 */
export async function writeTransitionOutput(
  trx: Kysely<DB>,
  context: {
    calendar: WorkingCalendar;
    now: Date;
    actor: Actor;
    caseNo: string;
    description: string;
    /** The case row was inserted in this transaction (createCase), at its events' version. */
    created?: boolean;
  },
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

  const { eventIds, version } = await appendCaseEvents(
    trx,
    context.created
      ? { caseId: next.id, fromVersion: next.version, created: true, at: context.now }
      : { caseId: next.id, fromVersion: next.version - output.events.length, at: context.now },
    context.actor,
    output.events.map((draft) => {
      const finished = draft.stage ? stopped.get(draft.stage) : undefined;
      return {
        action: draft.action,
        fromState: draft.fromState,
        toState: draft.toState,
        at: draft.at,
        payload: draft.payload,
        stage: draft.stage,
        timing: finished ?? null,
        onTime: draft.stage ? (finished?.onTime ?? !draft.overdue) : null,
      };
    }),
  );
  if (version !== next.version) {
    throw new AppError('internal', `case ${next.id} reached version ${version}, expected ${next.version}`);
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
