import { sql } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import type { Database } from '../../db/database.ts';
import {
  addressedTo,
  caseInScopeNow,
  caseUrgentNow,
  presentNotificationFor,
  type NotificationView,
} from './list-notifications.ts';

/** The notices of one case (or one notice about no case the actor may read), as one row of the list. */
export interface NotificationGroupView {
  /** `case:<id>` for a case's notices, `notification:<id>` for a notice standing alone. */
  key: string;
  caseId: string | null;
  /** The newest notice of the group (after the filters). */
  latest: NotificationView;
  /** How many notices the group holds, and how many of them are unread (after the filters). */
  count: number;
  unreadCount: number;
  /** The kinds of notice in the group, sorted. */
  kinds: string[];
}

export interface NotificationGroupQuery {
  unread?: boolean | undefined;
  kind?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

/**
 * The actor's notifications grouped per case (issue 11 §6: a dispatcher's 96 unread notices were mostly
 * one case escalating): one row per case, newest group first (ordered by its newest notice), with the count
 * and the kinds; the group's notices themselves come from `listNotifications({ caseId })` with the same
 * filters. Grouping is done here, over all the actor's matching notices, not over a page of them: a
 * group is never split across pages and its count is the whole count. The keyset cursor is the newest
 * notice id of the last group; a group that gains a notice meanwhile moves to the top and is not repeated.
 * A notice about a case no longer in the actor's scope stands alone: grouping it would tell which notices
 * concern the same case.
 */
export async function listNotificationGroups(
  deps: { database: Database },
  actor: Actor,
  query: NotificationGroupQuery,
): Promise<{ groups: NotificationGroupView[]; unreadCount: number; nextCursor: string | null }> {
  const { db } = deps.database;
  const limit = Math.min(Math.max(query.limit ?? 30, 1), 100);
  let before: number | null = null;
  if (query.cursor !== undefined) {
    before = Number(query.cursor);
    if (!Number.isSafeInteger(before) || before < 0) {
      throw new AppError('validation_failed', 'Invalid cursor', {
        problems: [{ path: '/cursor', message: 'invalid cursor' }],
      });
    }
  }
  let mine = db
    .selectFrom('notifications')
    .selectAll()
    .select([caseInScopeNow(actor), caseUrgentNow()])
    .where(addressedTo(actor));
  if (query.unread) mine = mine.where('read_at', 'is', null);
  if (query.kind) mine = mine.where('kind', '=', query.kind);

  const groupKey = sql<string>`case when f.in_scope and f.case_id is not null then 'case:' || f.case_id else 'notification:' || cast(f.id as text) end`;
  const grouped = db
    .with('f', () => mine)
    .with('g', (qb) =>
      qb
        .selectFrom('f')
        .select([
          groupKey.as('key'),
          sql<string>`max(f.id)`.as('latest_id'),
          sql<string>`count(*)`.as('total'),
          sql<string>`count(*) filter (where f.read_at is null)`.as('unread'),
          sql<string[]>`array_agg(distinct f.kind)`.as('kinds'),
        ])
        .groupBy(groupKey),
    )
    .selectFrom('g')
    .innerJoin('f', (join) => join.on(sql<boolean>`f.id = g.latest_id`))
    .selectAll('f')
    .select(['g.key', 'g.total', 'g.unread', 'g.kinds'])
    .$if(before !== null, (q) => q.where(sql<boolean>`g.latest_id < ${before}`))
    .orderBy(sql`g.latest_id`, 'desc')
    .limit(limit + 1);

  const [rows, unread] = await Promise.all([
    grouped.execute(),
    db
      .selectFrom('notifications')
      .select(sql<number>`count(*)`.as('n'))
      .where(addressedTo(actor))
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow(),
  ]);
  const page = rows.slice(0, limit);
  const present = presentNotificationFor(actor);
  const groups = page.map((r) => {
    const latest = present(r);
    return {
      key: r.key,
      caseId: r.key.startsWith('case:') ? latest.caseId : null,
      latest,
      count: Number(r.total),
      unreadCount: Number(r.unread),
      kinds: [...(r.kinds ?? [])].sort(),
    };
  });
  const last = page[page.length - 1];
  return {
    groups,
    unreadCount: Number(unread.n),
    nextCursor: rows.length > limit && last ? String(last.id) : null,
  };
}
