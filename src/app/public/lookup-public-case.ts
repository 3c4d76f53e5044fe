import type { CaseStateName } from '../../db/schema/cases.ts';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../core/errors.ts';

/** What a citizen sees of a case: coarse status only — no names, notes, places or internal steps. */
export type PublicStatus = 'received' | 'in_progress' | 'closed' | 'rejected';

export interface PublicCaseView {
  caseNo: string;
  status: PublicStatus;
  categoryCode: string | null;
  categoryName: string | null;
  reportedAt: string;
  closedAt: string | null;
  /** When the public status changed, oldest first. */
  history: { at: string; status: PublicStatus }[];
}

const PUBLIC_STATUS: Record<CaseStateName, PublicStatus> = {
  reported: 'received',
  verifying: 'received',
  registered: 'received',
  dispatched: 'in_progress',
  in_progress: 'in_progress',
  suspended: 'in_progress',
  handled: 'in_progress',
  checking: 'in_progress',
  resolved: 'in_progress',
  closed: 'closed',
  rejected: 'rejected',
  cancelled: 'rejected',
};

export const CASE_NO_PATTERN = '^[0-9]{6}-[0-9]{4}-[0-9]{4,8}$';

/**
 * Looks a case up by its number for the public page (市民查询). Anyone with the number may ask, so the
 * answer carries only the public status and its dates. A case merged into another as a duplicate
 * follows the case it was merged into (merging keeps every reporter informed).
 */
export async function lookupPublicCase(database: Database, caseNo: string): Promise<PublicCaseView> {
  const { db } = database;
  let row = await db
    .selectFrom('cases')
    .select(['id', 'case_no', 'state', 'category_code', 'reported_at', 'closed_at', 'merged_into'])
    .where('case_no', '=', caseNo)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `No case ${caseNo}`);
  const asked = row;
  if (row.merged_into) {
    const master = await db
      .selectFrom('cases')
      .select(['id', 'case_no', 'state', 'category_code', 'reported_at', 'closed_at', 'merged_into'])
      .where('id', '=', row.merged_into)
      .executeTakeFirst();
    if (master) row = master;
  }
  const [category, events] = await Promise.all([
    row.category_code
      ? db.selectFrom('categories').select('name_zh').where('code', '=', row.category_code).executeTakeFirst()
      : Promise.resolve(undefined),
    db
      .selectFrom('case_events')
      .select(['at', 'to_state'])
      .where('case_id', '=', row.id)
      .orderBy('seq')
      .orderBy('id')
      .execute(),
  ]);
  const history: PublicCaseView['history'] = [];
  for (const e of events) {
    const status = PUBLIC_STATUS[e.to_state];
    if (history[history.length - 1]?.status !== status) history.push({ at: e.at.toISOString(), status });
  }
  return {
    caseNo: asked.case_no,
    status: PUBLIC_STATUS[row.state],
    categoryCode: row.category_code,
    categoryName: category?.name_zh ?? null,
    reportedAt: asked.reported_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
    history,
  };
}
