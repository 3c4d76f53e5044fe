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
  currentClock,
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
  },
  output: TransitionOutput,
): Promise<{ eventIds: number[] }> {
  const { next } = output;
  const clock = clockContext(trx, context, output);
  const stopped = await applyClockEffects(clock, output);
  await syncCaseDeadline(clock);
  const eventIds = await appendEvents(trx, context, output, stopped, false);
  await writeNotifications(trx, notificationDrafts(context, output, context.caseNo), {
    reporterIds: next.reporterIds,
    at: context.now,
  });
  return { eventIds };
}

/** The case row's copy of its running clock (cases.deadline_stage/due_at/warn_at). */
export interface CaseDeadlineColumns {
  deadline_stage: Stage | null;
  due_at: Date | null;
  warn_at: Date | null;
}

/**
 * The first part of a creation (createCase), for a case row not written yet: the stage clocks and the
 * event rows, whose keys to the case are checked at commit (migration 0012). Returns what the case row
 * needs (its running clock, so the row is written once) and the notifications to write once the case
 * number is known — the number is allocated as the last thing before the case row, so the counter row
 * stays locked for as few statements as possible.
 */
export async function writeCreationOutput(
  trx: Kysely<DB>,
  context: { calendar: WorkingCalendar; now: Date; actor: Actor; description: string },
  output: TransitionOutput,
): Promise<{
  eventIds: number[];
  deadline: CaseDeadlineColumns;
  notify: (caseNo: string) => Promise<number>;
}> {
  const clock = clockContext(trx, context, output);
  const stopped = await applyClockEffects(clock, output);
  const open = await currentClock(clock);
  const eventIds = await appendEvents(trx, context, output, stopped, true);
  return {
    eventIds,
    deadline: {
      deadline_stage: open?.stage ?? null,
      due_at: open?.due_at ?? null,
      warn_at: open?.warn_at ?? null,
    },
    notify: (caseNo) =>
      writeNotifications(trx, notificationDrafts(context, output, caseNo), {
        reporterIds: output.next.reporterIds,
        at: context.now,
      }),
  };
}

const clockContext = (
  trx: Kysely<DB>,
  context: { calendar: WorkingCalendar; now: Date },
  { next }: TransitionOutput,
) => ({
  trx,
  calendar: context.calendar,
  now: context.now,
  caseId: next.id,
  categoryCode: next.categoryCode,
  urgency: next.urgency,
});

async function applyClockEffects(
  clock: Parameters<typeof startClock>[0],
  output: TransitionOutput,
): Promise<Map<Stage, StoppedClock>> {
  const stopped = new Map<Stage, StoppedClock>();
  for (const effect of output.effects) {
    const done = await applyClockEffect(clock, effect);
    if (done) stopped.set(done.stage, done);
  }
  return stopped;
}

async function appendEvents(
  trx: Kysely<DB>,
  context: { now: Date; actor: Actor },
  output: TransitionOutput,
  stopped: Map<Stage, StoppedClock>,
  created: boolean,
): Promise<number[]> {
  const { next } = output;
  const { eventIds, version } = await appendCaseEvents(
    trx,
    created
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
  return eventIds;
}

function notificationDrafts(
  context: { actor: Actor; description: string },
  output: TransitionOutput,
  caseNo: string,
): NotificationDraft[] {
  const { next } = output;
  return output.effects.flatMap((e) =>
    e.kind === 'notify'
      ? [
          {
            to: e.to,
            kind: e.topic,
            caseId: next.id,
            payload: {
              caseNo,
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
