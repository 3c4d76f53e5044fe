import type { Kysely } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { dateKeyOf } from '../../core/calendar/time.ts';
import { AppError, refusal } from '../../core/errors.ts';
import { placeInRegions } from '../../core/policy/base-info.ts';
import {
  afterVisit,
  byDistance,
  canVisitTask,
  checkVisitPosition,
  type TaskStatus,
  type VisitPosition,
} from '../../core/screening/tasks.ts';
import {
  baseInfoUpdates,
  validateAnswers,
  type FormAnswers,
  type ScreeningTheme,
  type TargetKind,
  type VisitOutcome,
} from '../../core/screening/themes.ts';
import type { Urgency } from '../../core/workflow/index.ts';
import type { DB } from '../../db/schema/index.ts';
import { appendAudit } from '../audit/append-audit.ts';
import { loadBaseInfoAccess } from '../baseinfo/access.ts';
import { loadCalendar } from '../calendar/load-calendar.ts';
import { createCase } from '../cases/create-case.ts';
import type { CaseDeps } from '../cases/deps.ts';
import type { Database } from '../../db/database.ts';
import { newRecordId } from '../ids.ts';

export interface TaskView {
  id: string;
  campaignId: string;
  campaignName: string;
  theme: ScreeningTheme;
  roundNo: number;
  targetKind: TargetKind;
  targetId: string;
  /** the dwelling's address, or the business's name and address */
  label: string;
  addressId: string;
  committeeCode: string | null;
  gridCode: string | null;
  lon: number | null;
  lat: number | null;
  facts: Record<string, number | string>;
  standing: 'new' | 'again' | 'again_after_problem';
  assigneeId: string | null;
  assigneeName: string | null;
  status: TaskStatus;
  dueAt: string;
  revisitAt: string | null;
  attempts: number;
  version: number;
  /** metres from the point the list was asked for */
  distanceM: number | null;
}

const iso = (d: Date | string) => new Date(d).toISOString();

function taskQuery(db: Kysely<DB>) {
  return db
    .selectFrom('screening_tasks as t')
    .innerJoin('screening_campaigns as c', 'c.id', 't.campaign_id')
    .innerJoin('base_addresses as a', 'a.id', 't.address_id')
    .leftJoin('base_units as u', (j) => j.onRef('u.id', '=', 't.target_id').on('t.target_kind', '=', 'unit'))
    .leftJoin('users as w', 'w.id', 't.assignee_id')
    .select([
      't.id',
      't.campaign_id',
      'c.name as campaign_name',
      'c.theme',
      'c.state as campaign_state',
      'c.current_round',
      't.round_no',
      't.target_kind',
      't.target_id',
      'a.full_text',
      'u.name as unit_name',
      't.address_id',
      't.street_code',
      't.committee_code',
      't.grid_code',
      't.lon',
      't.lat',
      't.facts',
      't.standing',
      't.assignee_id',
      'w.display_name as assignee_name',
      't.status',
      't.due_at',
      't.revisit_at',
      't.attempts',
      't.version',
    ]);
}
type TaskRow = Awaited<ReturnType<ReturnType<typeof taskQuery>['executeTakeFirstOrThrow']>>;

function presentTask(r: TaskRow, distanceM: number | null): TaskView {
  return {
    id: r.id,
    campaignId: r.campaign_id,
    campaignName: r.campaign_name,
    theme: r.theme,
    roundNo: r.round_no,
    targetKind: r.target_kind,
    targetId: r.target_id,
    label: r.unit_name ? `${r.unit_name}（${r.full_text}）` : r.full_text,
    addressId: r.address_id,
    committeeCode: r.committee_code,
    gridCode: r.grid_code,
    lon: r.lon,
    lat: r.lat,
    facts: r.facts,
    standing: r.standing,
    assigneeId: r.assignee_id,
    assigneeName: r.assignee_name,
    status: r.status,
    dueAt: iso(r.due_at),
    revisitAt: r.revisit_at ? iso(r.revisit_at) : null,
    attempts: r.attempts,
    version: r.version,
    distanceM,
  };
}

/**
 * The phone's task list (任务): the open tasks of the active campaigns' current rounds that the actor
 * may visit — assigned to them, or unassigned in their committee or grid — nearest first from the given
 * point (without one: by id). At most `limit`.
 */
export async function listScreeningTasks(
  deps: { database: Database },
  actor: Actor,
  query: { lon?: number | undefined; lat?: number | undefined; limit?: number | undefined },
): Promise<{ items: TaskView[] }> {
  if (actor.role !== 'coordinator' && actor.role !== 'patroller') return { items: [] };
  if (actor.unit.kind !== 'region') return { items: [] };
  const unitCode = actor.unit.code;
  const rows = await taskQuery(deps.database.db)
    .where('c.state', '=', 'active')
    .whereRef('t.round_no', '=', 'c.current_round')
    .where('t.status', 'in', ['pending', 'revisit'])
    .where((eb) =>
      eb.or([
        eb('t.assignee_id', '=', actor.userId),
        eb.and([
          eb('t.assignee_id', 'is', null),
          eb.or([eb('t.committee_code', '=', unitCode), eb('t.grid_code', '=', unitCode)]),
        ]),
      ]),
    )
    .limit(2000)
    .execute();
  const from = query.lon !== undefined && query.lat !== undefined ? { lon: query.lon, lat: query.lat } : null;
  const sorted = byDistance(rows, from).slice(0, query.limit ?? 200);
  return { items: sorted.map((r) => presentTask(r, r.distanceM)) };
}

export interface VisitInput {
  taskId: string;
  /** the task version the visitor saw */
  version: number;
  outcome: VisitOutcome;
  answers: Record<string, unknown>;
  photos?: string[] | undefined;
  position?: VisitPosition | null | undefined;
  /** why the GPS is far from the address (or missing) */
  farReason?: string | undefined;
  /** problem_found: the case to open (a description; the category may be left to the centre) */
  finding?:
    { description: string; category?: string | null | undefined; urgency?: Urgency | undefined } | undefined;
}

export interface VisitView {
  id: string;
  taskId: string;
  outcome: VisitOutcome;
  at: string;
  distanceM: number | null;
  taskStatus: TaskStatus;
  revisitAt: string | null;
  caseId: string | null;
  caseNumber: string | null;
}

/**
 * A coordinator or patroller records a visit (走访): outcome, the theme's form, photos, GPS (near the
 * address, or a reason). In one transaction: the visit, the task's next status (a revisit on the next
 * working day when nobody was home), the base information it checked with its history (source 'visit'),
 * and the audit record. A problem found becomes a case in the same step: the case is filed through the
 * ordinary intake (source 'screening', at the target's address) and the visit is written in the case's
 * own transaction — both or neither.
 */
export async function submitVisit(deps: CaseDeps, actor: Actor, input: VisitInput): Promise<VisitView> {
  const { db } = deps.database;
  const task = await taskQuery(db).where('t.id', '=', input.taskId).executeTakeFirst();
  const access = await loadBaseInfoAccess(db, actor);
  const place = task ? (task.grid_code ?? task.committee_code ?? task.street_code) : null;
  if (!task || !access.slice.addresses || !placeInRegions(access.regions, place))
    throw new AppError('not_found', `No task ${input.taskId}`);
  if (
    !canVisitTask(actor, {
      streetCode: task.street_code,
      committeeCode: task.committee_code,
      gridCode: task.grid_code,
      assigneeId: task.assignee_id,
    })
  )
    throw new AppError('forbidden', 'The task is another person’s', { action: 'screening_visit' });
  if (task.campaign_state !== 'active')
    throw refusal('conflict', 'screening_campaign_closed', 'The campaign is closed');
  if ((task.status !== 'pending' && task.status !== 'revisit') || task.round_no !== task.current_round)
    throw refusal('conflict', 'screening_task_closed', `The task is ${task.status}`, { status: task.status });
  if (task.version !== input.version)
    throw new AppError('conflict', 'The task changed meanwhile', { version: task.version });

  const checked = validateAnswers(task.theme, input.outcome, input.answers);
  if (!checked.ok)
    throw new AppError('validation_failed', 'The visit form is not complete', { problems: checked.problems });
  const position = input.position ?? null;
  const gps = checkVisitPosition({ lon: task.lon, lat: task.lat }, position, input.farReason);
  if (!gps.ok)
    throw refusal('validation_failed', 'visit_far_from_address', 'The GPS is not near the address: say why', {
      why: gps.why,
      distanceM: gps.distanceM,
      problems: [
        {
          path: '/farReason',
          message: gps.why === 'far' ? `${gps.distanceM} m from the address` : 'no GPS fix',
        },
      ],
    });
  if (input.outcome === 'problem_found' && !input.finding?.description.trim())
    throw new AppError('validation_failed', 'A problem found needs a description of the case', {
      problems: [{ path: '/finding/description', message: 'required' }],
    });
  if (input.outcome !== 'problem_found' && input.finding)
    throw new AppError('validation_failed', 'Only a problem found opens a case', {
      problems: [{ path: '/finding', message: 'only with outcome problem_found' }],
    });
  const photos = [...new Set(input.photos ?? [])];
  if (photos.length > 0) await checkPhotos(db, actor, photos);

  const { calendar } = await loadCalendar(deps.database);
  const visitId = newRecordId();
  const write = async (trx: Kysely<DB>, caseId: string | null, now: Date): Promise<VisitView> => {
    const next = afterVisit(input.outcome, task.attempts, calendar, now);
    const updated = await trx
      .updateTable('screening_tasks')
      .set((eb) => ({
        status: next.status,
        revisit_at: next.revisitAt,
        attempts: eb('attempts', '+', 1),
        last_visit_at: now,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', task.id)
      .where('version', '=', input.version)
      .where('status', 'in', ['pending', 'revisit'])
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw new AppError('conflict', 'The task changed meanwhile');
    await trx
      .insertInto('screening_visits')
      .values({
        id: visitId,
        task_id: task.id,
        campaign_id: task.campaign_id,
        round_no: task.round_no,
        visitor_id: actor.userId,
        at: now,
        outcome: input.outcome,
        answers: JSON.stringify(checked.answers) as unknown as FormAnswers,
        photos,
        lon: position?.lon ?? null,
        lat: position?.lat ?? null,
        accuracy_m: position?.accuracyM ?? null,
        distance_m: gps.distanceM,
        far_reason: gps.near ? null : (input.farReason?.trim().slice(0, 500) ?? null),
        note: typeof checked.answers.note === 'string' ? checked.answers.note : null,
        case_id: caseId,
      })
      .execute();
    const changes = await applyBaseInfoUpdates(
      trx,
      actor,
      visitId,
      now,
      baseInfoUpdates({ kind: task.target_kind, id: task.target_id }, input.outcome, checked.answers),
    );
    await appendAudit(trx, {
      actor,
      action: 'screening.visit',
      target: `screening-task:${task.id}`,
      payload: { visitId, outcome: input.outcome, caseId, baseInfoChanges: changes, near: gps.near },
      at: now,
    });
    return {
      id: visitId,
      taskId: task.id,
      outcome: input.outcome,
      at: now.toISOString(),
      distanceM: gps.distanceM,
      taskStatus: next.status,
      revisitAt: next.revisitAt?.toISOString() ?? null,
      caseId,
      caseNumber: null,
    };
  };

  if (input.outcome === 'problem_found' && input.finding) {
    let view: VisitView | null = null;
    const location =
      task.lon !== null && task.lat !== null
        ? { lon: task.lon, lat: task.lat }
        : position
          ? { lon: position.lon, lat: position.lat }
          : null;
    if (!location)
      throw new AppError('validation_failed', 'The finding needs a place', {
        problems: [{ path: '/position', message: 'required' }],
      });
    const created = await createCase(
      deps,
      actor,
      {
        source: 'screening',
        category: input.finding.category ?? null,
        urgency: input.finding.urgency,
        description: `【${task.campaign_name}】${input.finding.description.trim()}`,
        location,
        addressId: task.address_id,
        photos,
      },
      {
        idempotencyKey: `screening-visit:${task.id}:${task.version}`,
        alsoWrite: async (trx, caseId, now) => {
          view = await write(trx, caseId, now);
        },
      },
    );
    if (created.replayed || !view)
      throw refusal('conflict', 'screening_task_closed', 'The visit was already recorded');
    return { ...(view as VisitView), caseNumber: created.case.caseNo };
  }
  return db.transaction().execute((trx) => write(trx, null, deps.now()));
}

async function checkPhotos(db: Kysely<DB>, actor: Actor, ids: readonly string[]): Promise<void> {
  const rows = await db
    .selectFrom('attachments')
    .select(['id', 'uploaded_by'])
    .where('id', 'in', [...ids])
    .execute();
  const bad = ids.filter((id) => rows.find((r) => r.id === id)?.uploaded_by !== actor.userId);
  if (bad.length > 0)
    throw new AppError(
      'validation_failed',
      'Unknown attachment (upload it first with POST /api/v1/attachments)',
      {
        problems: bad.map((id) => ({ path: '/photos', message: `unknown attachment ${id}` })),
      },
    );
}

/** The base-information changes of a visit with their history rows (source 'visit', ref = the visit id). */
async function applyBaseInfoUpdates(
  trx: Kysely<DB>,
  actor: Actor,
  visitId: string,
  now: Date,
  updates: ReturnType<typeof baseInfoUpdates>,
): Promise<number> {
  let n = 0;
  for (const u of updates) {
    if (u.entity === 'dwelling') {
      const before = await trx
        .selectFrom('base_dwellings')
        .select('occupants_counted')
        .where('id', '=', u.id)
        .forUpdate()
        .executeTakeFirst();
      if (!before) continue;
      await trx
        .updateTable('base_dwellings')
        .set({ occupants_counted: u.value, occupants_counted_on: dateKeyOf(now), updated_at: now })
        .where('id', '=', u.id)
        .execute();
      if (before.occupants_counted === u.value) continue;
      await history(trx, actor, visitId, now, 'dwelling', u.id, {
        occupants_counted: { from: before.occupants_counted, to: u.value },
      });
    } else {
      const before = await trx
        .selectFrom('base_units')
        .select(['licence_status', 'licence_no'])
        .where('id', '=', u.id)
        .forUpdate()
        .executeTakeFirst();
      if (!before) continue;
      const from = before[u.field];
      if (from === u.value) continue;
      await trx
        .updateTable('base_units')
        .set({ [u.field]: u.value, updated_at: now })
        .where('id', '=', u.id)
        .execute();
      await history(trx, actor, visitId, now, 'unit', u.id, { [u.field]: { from, to: u.value } });
    }
    n++;
  }
  return n;
}

function history(
  trx: Kysely<DB>,
  actor: Actor,
  visitId: string,
  at: Date,
  entity: 'dwelling' | 'unit',
  entityId: string,
  changes: Record<string, { from: unknown; to: unknown }>,
) {
  return trx
    .insertInto('base_history')
    .values({
      entity,
      entity_id: entityId,
      action: 'update',
      changes: JSON.stringify(changes) as never,
      actor_id: actor.userId,
      source: 'visit',
      source_ref: visitId,
      at,
    })
    .execute();
}
