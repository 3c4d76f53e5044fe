import { sql } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import {
  FOLLOW_UP_SOURCES,
  followUpDue,
  followUpStatus,
  overdueCutoff,
  worksFollowUps,
  type FollowUpStatus,
} from '../../core/evaluation/index.ts';
import { AppError } from '../../core/errors.ts';
import { maskName, maskPhone } from '../../core/policy/personal-data.ts';
import { allowedActions } from '../../core/workflow/index.ts';
import type { Database } from '../../db/database.ts';
import type { OwnerLevel } from '../../db/schema/cases.ts';
import { applyCaseScope } from '../../db/case-scope.ts';
import { loadCalendar } from '../calendar/load-calendar.ts';
import { toSnapshot } from '../cases/case-record.ts';
import { readEvaluationSettings } from './evaluation-settings.ts';

export interface FollowUpTask {
  caseId: string;
  caseNo: string;
  /** The case version, for the `follow_up` action. */
  version: number;
  source: string;
  description: string;
  address: string | null;
  closedAt: string;
  dueAt: string;
  status: FollowUpStatus;
  /** Masked; `POST /api/v1/cases/{id}/reporter/unmask` with a reason shows them (audited). */
  reporterName: string | null;
  reporterPhone: string | null;
}

export interface UnsatisfiedFollowUp {
  caseId: string;
  caseNo: string;
  version: number;
  description: string;
  followedUpAt: string;
  /** Who recorded it (display name) and their note. */
  by: string | null;
  note: string | null;
  /** Whether the caller may reopen the case (shift leads of the owning centre). */
  canReopen: boolean;
}

export interface FollowUpList {
  /** Working days after the closure by which a follow-up is due. */
  days: number;
  pending: number;
  overdue: number;
  /** Open tasks, the longest waiting first (`status` filters). */
  tasks: FollowUpTask[];
  /** Cases whose last follow-up is 不满意, still closed: waiting for a shift lead to reopen them. */
  unsatisfied: UnsatisfiedFollowUp[];
}

/**
 * 回访 tasks of the caller's centre (DESIGN §7, issue 14): closed cases reported by the public with a
 * phone or an account, owned by the caller's centre, with no `follow_up` event since their (latest)
 * closure. Derived from the case row and the event log on every read — there is no task table to drift.
 * A case reopened and closed again owes a new follow-up. The reporter's contact is masked here.
 */
export async function listFollowUps(
  deps: { database: Database; now: () => Date },
  actor: Actor,
  query: { status?: 'all' | 'overdue'; limit?: number } = {},
): Promise<FollowUpList> {
  if (!worksFollowUps(actor) || actor.unit.kind !== 'region') {
    throw new AppError('forbidden', 'Follow-ups are worked by the intake staff of a centre');
  }
  const unit = actor.unit;
  const now = deps.now();
  const limit = Math.min(Math.max(query.limit ?? 100, 1), 500);
  const [{ calendar }, settings] = await Promise.all([
    loadCalendar(deps.database),
    readEvaluationSettings(deps.database.db),
  ]);
  const days = settings.followUpDays ?? 3;
  const cutoff = overdueCutoff(calendar, now, days);

  const owned = () =>
    applyCaseScope(deps.database.db.selectFrom('cases'), actor)
      .where('cases.state', '=', 'closed')
      .where('cases.owner_level', '=', unit.level as OwnerLevel)
      .where('cases.owner_code', '=', unit.code);
  const followedUpSinceClosure = sql<boolean>`exists (select 1 from case_events f where f.case_id = cases.id
    and f.action = 'follow_up' and f.at >= cases.closed_at)`;
  const open = () =>
    owned()
      .where('cases.source', 'in', [...FOLLOW_UP_SOURCES])
      .where((eb) =>
        eb.or([
          eb(sql<string>`coalesce(trim(cases.reporter_phone), '')`, '<>', ''),
          eb('cases.reporter_user_id', 'is not', null),
        ]),
      )
      .where(sql<boolean>`not ${followedUpSinceClosure}`);

  const [counts, rows, unhappy] = await Promise.all([
    open()
      .select([
        sql<string>`count(*)`.as('pending'),
        sql<string>`count(*) filter (where cases.closed_at <= ${cutoff})`.as('overdue'),
      ])
      .executeTakeFirstOrThrow(),
    (query.status === 'overdue' ? open().where('cases.closed_at', '<=', cutoff) : open())
      .select([
        'cases.id',
        'cases.case_no',
        'cases.version',
        'cases.source',
        'cases.description',
        'cases.address',
        'cases.closed_at',
        'cases.reporter_name',
        'cases.reporter_phone',
      ])
      .orderBy('cases.closed_at', 'asc')
      .orderBy('cases.id', 'asc')
      .limit(limit)
      .execute(),
    owned()
      .where('cases.satisfaction', '=', 'unsatisfied')
      .where(followedUpSinceClosure)
      .innerJoinLateral(
        (eb) =>
          eb
            .selectFrom('case_events as f')
            .select(['f.at', 'f.actor_name', sql<string | null>`f.payload->>'note'`.as('note')])
            .whereRef('f.case_id', '=', 'cases.id')
            .where('f.action', '=', 'follow_up')
            .orderBy('f.seq', 'desc')
            .limit(1)
            .as('last'),
        (join) => join.onTrue(),
      )
      .selectAll('cases')
      .select(['last.at as followed_up_at', 'last.actor_name as by', 'last.note'])
      .orderBy('last.at', 'asc')
      .limit(limit)
      .execute(),
  ]);

  return {
    days,
    pending: Number(counts.pending),
    overdue: Number(counts.overdue),
    tasks: rows.map((r) => {
      const due = followUpDue(calendar, r.closed_at!, days);
      return {
        caseId: r.id,
        caseNo: r.case_no,
        version: r.version,
        source: r.source,
        description: r.description,
        address: r.address,
        closedAt: r.closed_at!.toISOString(),
        dueAt: due.toISOString(),
        status: followUpStatus(due, now),
        reporterName: maskName(r.reporter_name),
        reporterPhone: maskPhone(r.reporter_phone),
      };
    }),
    unsatisfied: unhappy.map((r) => ({
      caseId: r.id,
      caseNo: r.case_no,
      version: r.version,
      description: r.description,
      followedUpAt: new Date(r.followed_up_at).toISOString(),
      by: r.by,
      note: r.note,
      canReopen: allowedActions(toSnapshot(r), actor, now).includes('reopen'),
    })),
  };
}
