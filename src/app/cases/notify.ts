import { sql, type Kysely } from 'kysely';
import type { NotifyTarget } from '../../core/workflow/effects.ts';
import type { DB } from '../../db/schema/index.ts';

/** One notification to write: the workflow's target plus what the recipient should see. */
export interface NotificationDraft {
  to: NotifyTarget;
  kind: string;
  caseId: string;
  payload: Record<string, unknown>;
}

interface Recipient {
  recipient_user_id: string | null;
  recipient_department_id: string | null;
  recipient_region_code: string | null;
  recipient_role: string | null;
}

const user = (id: string): Recipient => ({
  recipient_user_id: id,
  recipient_department_id: null,
  recipient_region_code: null,
  recipient_role: null,
});
const department = (id: string): Recipient => ({
  recipient_user_id: null,
  recipient_department_id: id,
  recipient_region_code: null,
  recipient_role: null,
});
const region = (code: string): Recipient => ({
  recipient_user_id: null,
  recipient_department_id: null,
  recipient_region_code: code,
  recipient_role: null,
});

/**
 * The police station responsible for a committee (社区民警's station): the police department whose
 * coverage is the most specific region containing the committee (the committee itself, its street,
 * then the district, so the street's 派出所 wins over the district 分局).
 */
export async function policeStationFor(trx: Kysely<DB>, regionCode: string): Promise<string | null> {
  const row = await trx
    .selectFrom('department_coverage as c')
    .innerJoin('departments as d', 'd.id', 'c.department_id')
    .select('d.id')
    .where('d.type', '=', 'police')
    .where('d.active', '=', true)
    .where(sql<boolean>`${regionCode} like c.region_code || '%'`)
    .orderBy(sql`length(c.region_code)`, 'desc')
    .orderBy('d.id')
    .executeTakeFirst();
  return row?.id ?? null;
}

async function recipientsOf(
  trx: Kysely<DB>,
  to: NotifyTarget,
  reporterIds: readonly string[],
): Promise<Recipient[]> {
  switch (to.kind) {
    case 'centre':
      return [region(to.code)];
    case 'department':
      return [{ ...department(to.id), recipient_role: to.role ?? null }];
    case 'police_station':
      return [department(to.departmentId)];
    case 'community_police': {
      const station = await policeStationFor(trx, to.committeeCode);
      return station ? [{ ...department(station), recipient_role: 'police' }] : [];
    }
    case 'user':
      return to.userId === 'system' ? [] : [user(to.userId)];
    case 'reporters':
      // an anonymous reporter (public:<case id>, issue 15) has no account to notify: they follow by code
      return reporterIds.filter((id) => id !== 'system' && !id.startsWith('public:')).map(user);
  }
}

const keyOf = (r: Recipient) =>
  `${r.recipient_user_id}|${r.recipient_department_id}|${r.recipient_region_code}|${r.recipient_role}`;

/**
 * THE writer of notifications (the workflow's use cases and the deadline sweeper alike): writes them
 * inside the caller's transaction (records with read receipts; delivery
 * channels come later). The same recipient is notified once per case and kind, even when several
 * targets resolve to it. Returns how many were written.
 */
export async function writeNotifications(
  trx: Kysely<DB>,
  drafts: readonly NotificationDraft[],
  context: { reporterIds: readonly string[]; at: Date },
): Promise<number> {
  const rows = [];
  const seen = new Set<string>();
  for (const draft of drafts) {
    for (const r of await recipientsOf(trx, draft.to, context.reporterIds)) {
      const key = `${draft.caseId}|${draft.kind}|${keyOf(r)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push({
        ...r,
        kind: draft.kind,
        case_id: draft.caseId,
        payload: JSON.stringify(draft.payload),
        created_at: context.at,
      });
    }
  }
  if (rows.length > 0) await trx.insertInto('notifications').values(rows).execute();
  return rows.length;
}
