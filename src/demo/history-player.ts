/**
 * Plays one story of the demo history through the real use cases: reports the case (createCase), then
 * takes each step (performCaseAction) as the right person — resolved against the case at that moment
 * (its owning centre, lead department, assigned patroller) — at a time derived from its running stage
 * clock, and schedules the next step on the timeline.
 */
import { pausesOf } from '../app/cases/clocks.ts';
import { createCase } from '../app/cases/create-case.ts';
import type { CaseDeps } from '../app/cases/deps.ts';
import { performCaseAction } from '../app/cases/perform-case-action.ts';
import { storeAttachment } from '../app/cases/store-attachment.ts';
import type { Actor } from '../core/actor.ts';
import { computeDue, dateKeyOf, dayStartMs } from '../core/calendar/index.ts';
import type { WorkingCalendar } from '../core/calendar/working-calendar.ts';
import type { Database } from '../db/database.ts';
import type { Cast, StreetCast } from './history-actors.ts';
import type { Random, Step, Story, When, Who } from './history-steps.ts';
import { describeProblem, hotlineCaller } from './history-texts.ts';
import type { Timeline } from './history-timeline.ts';
import { AFTER_COLOURS, BEFORE_COLOURS, demoPhoto } from './photos.ts';

const MS_HOUR = 3_600_000;

export interface PlayerContext {
  database: Database;
  deps: CaseDeps;
  calendar: WorkingCalendar;
  cast: Cast;
  timeline: Timeline;
  /** Counts what was done, and times it. */
  timed: <T>(what: 'reports' | 'actions', fn: () => Promise<T>) => Promise<T>;
}

type CaseView = Awaited<ReturnType<typeof readCase>>;
const readCase = (database: Database, id: string) =>
  database.db
    .selectFrom('cases')
    .select([
      'id',
      'case_no',
      'state',
      'version',
      'owner_level',
      'lead_department_id',
      'assisting_department_ids',
      'assignee_user_id',
      'due_at',
    ])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

export function createPlayer(ctx: PlayerContext) {
  const { database, deps, calendar, cast, timeline } = ctx;

  /** People act in working time: an instant outside it moves to a little after the next segment starts. */
  const snap = (t: number, r: Random) => {
    const key = dateKeyOf(t);
    const offset = t - dayStartMs(key);
    const working =
      calendar.day(key).workday && calendar.segmentSpans.some((x) => offset >= x.startMs && offset < x.endMs);
    return working ? t : computeDue(calendar, new Date(t), (5 + 25 * r()) / 60, 'work_hour').due!.getTime();
  };

  /** When a step falls due, counted from `now` (see When). */
  const timeOf = async (when: When, caseId: string, now: number, r: Random): Promise<number> => {
    if ('hours' in when) return computeDue(calendar, new Date(now), when.hours, 'work_hour').due!.getTime();
    if ('days' in when) return snap(now + when.days * 24 * MS_HOUR, r);
    const running = await database.db
      .selectFrom('case_deadlines')
      .select(['started_at', 'limit_amount', 'extension_amount', 'limit_unit', 'pauses'])
      .where('case_id', '=', caseId)
      .where('status', '=', 'running')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    if (!running) return snap(now + MS_HOUR, r);
    const pauses = pausesOf(running);
    const limit = running.limit_amount + running.extension_amount;
    const due = computeDue(calendar, running.started_at, when.clock * limit, running.limit_unit, pauses);
    const at = Math.max(due.due!.getTime(), now + 2 * 60_000);
    // urgent clocks run around the clock, and so do the people on them
    return running.limit_unit === 'work_hour' || running.limit_unit === 'work_day' ? snap(at, r) : at;
  };

  const actorFor = (who: Who, row: CaseView, street: StreetCast): Actor | undefined => {
    const centre = (committee: Actor, streetActor: Actor, district: Actor) =>
      row.owner_level === 'committee' ? committee : row.owner_level === 'street' ? streetActor : district;
    const dept = (id: string | undefined | null) => (id ? cast.departments.get(id) : undefined);
    switch (who) {
      case 'intake':
        return centre(street.station, street.dispatcher, cast.district.dispatcher);
      case 'decider':
        return centre(street.station, street.lead, cast.district.lead);
      case 'department':
        return dept(row.lead_department_id);
      case 'assisting':
        return dept(row.assisting_department_ids[0]);
      case 'assignee':
        return row.assignee_user_id ? cast.byUserId.get(row.assignee_user_id) : undefined;
      case 'leader':
        return cast.district.leader;
      case 'reporter':
        return cast.citizen;
    }
  };

  /** A stand-in photo, uploaded by the actor like any attachment. */
  const photo = async (actor: Actor, kind: 'before' | 'after', r: Random) => {
    const colours = kind === 'before' ? BEFORE_COLOURS : AFTER_COLOURS;
    const data = demoPhoto(colours[Math.floor(r() * colours.length)]!);
    return (await storeAttachment(deps, actor, { data, filename: `${kind}.png` })).id;
  };

  const act = async (
    actor: Actor,
    story: Story,
    step: Step,
    row: CaseView,
    street: StreetCast,
    r: Random,
  ) => {
    const patroller = street.patrollers[Math.floor(r() * street.patrollers.length)]!;
    const now = timeline.now;
    const payload = await step.payload?.({
      patrollerId: patroller.userId,
      laterDue: (n) => {
        const from = new Date(Math.max(now, row.due_at?.getTime() ?? now));
        return computeDue(calendar, from, n, 'work_day').due!.toISOString();
      },
      photo: (kind) => photo(actor, kind, r),
      masterCaseId: story.duplicateOf?.caseId ?? null,
    });
    const input = { caseRef: row.id, action: step.action, version: row.version, payload: payload ?? {} };
    await ctx.timed('actions', () => performCaseAction(deps, actor, input));
  };

  /** Takes step `i` of the story, then schedules the next one. */
  const takeStep = async (story: Story, caseId: string, street: StreetCast, i: number, r: Random) => {
    const step = story.steps[i];
    if (!step) return;
    const row = await readCase(database, caseId);
    const actor = actorFor(step.who, row, street);
    if (!actor && !step.optional) {
      throw new Error(`no ${step.who} for ${step.action} on ${row.case_no} (${row.state})`);
    }
    if (actor) await act(actor, story, step, row, street, r);
    const next = story.steps[i + 1];
    if (!next) return;
    const at = await timeOf(next.when, caseId, timeline.now, r);
    timeline.schedule(at, () => takeStep(story, caseId, street, i + 1, r));
  };

  /** Reports the story's case now (as its reporter, at one of the street's places) and schedules its first step. */
  const reportCase = async (story: Story, street: StreetCast, r: Random): Promise<void> => {
    const places = story.reporter === 'coordinator' ? street.committeePlaces : street.places;
    const place = story.duplicateOf?.place ?? places[Math.floor(r() * places.length)]!;
    story.place = place;
    const reporter: Actor = {
      patroller: street.patrollers[0]!,
      coordinator: street.coordinator,
      citizen: cast.citizen,
      hotline: street.dispatcher,
    }[story.reporter];
    const before = story.selfHandled || r() < 0.5 ? [await photo(reporter, 'before', r)] : [];
    const after = story.selfHandled ? [await photo(reporter, 'after', r)] : [];
    const created = await ctx.timed('reports', () =>
      createCase(deps, reporter, {
        category: story.category,
        ...(story.urgent ? { urgency: 'urgent' as const } : {}),
        description: describeProblem(story.category, r),
        location: { lon: place.lon, lat: place.lat },
        address: place.address,
        photos: before,
        ...(story.selfHandled ? { selfHandled: { result: '已现场自行处置完毕', afterPhotos: after } } : {}),
        ...(story.reporter === 'hotline' ? { reporter: hotlineCaller(r) } : {}),
      }),
    );
    const caseId = created.case.id;
    story.caseId = caseId;
    const first = story.steps[0];
    if (!first) return;
    const at = await timeOf(first.when, caseId, timeline.now, r);
    timeline.schedule(at, () => takeStep(story, caseId, street, 0, r));
  };

  return { reportCase };
}
