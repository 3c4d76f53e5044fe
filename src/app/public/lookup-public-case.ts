import type { CaseStateName } from '../../db/schema/cases.ts';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../core/errors.ts';
import { isPublicCategory } from '../../core/policy/public-follow-up.ts';
import { sameSecret } from '../identity/tokens.ts';
import { FOLLOW_UP_LENGTH, normalizeFollowUpCode } from './follow-up-code.ts';
import { PUBLIC_REPORTER_PREFIX } from './public-contact.ts';

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
  /** The anonymous reporter's rating (issue 15), once given; the note stays private. */
  rating: PublicRating | null;
  /** Whether the holder of number + code may rate now: an anonymous report, closed, not rated yet. */
  canRate: boolean;
}

export const SATISFACTIONS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];
export interface PublicRating {
  satisfaction: Satisfaction;
  at: string;
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

/** The public status of a case state. */
export const publicStatusOf = (state: CaseStateName): PublicStatus => PUBLIC_STATUS[state];

export const CASE_NO_PATTERN = '^[0-9]{6}-[0-9]{4}-[0-9]{4,8}$';

// compared against when the number is unknown, so both refusals take the same steps
const NO_CODE = '-'.repeat(FOLLOW_UP_LENGTH);

const COLUMNS = [
  'id',
  'case_no',
  'follow_up_code',
  'state',
  'category_code',
  'reported_at',
  'closed_at',
  'merged_into',
] as const;

/**
 * Looks a case up for the public page (市民查询): it needs the case number **and** the follow-up code
 * (查询码) given to the reporter, so numbers cannot be walked (issue 9 §8). A wrong code, an unknown
 * number, a case without a code and a case of a sensitive category (不稳定因素, 矛盾纠纷, or flagged) all
 * answer the same `not_found`: no oracle. The answer carries only the public status and its dates. A case
 * merged into another as a duplicate follows the case it was merged into (merging keeps every reporter
 * informed), unless that one is sensitive.
 */
export async function lookupPublicCase(
  database: Database,
  caseNo: string,
  code: string,
): Promise<PublicCaseView> {
  const found = await findPublicCase(database, caseNo, code);
  return presentPublicCase(database, found);
}

/** A case found by number + code: the one asked for, and the one it is followed by (itself or its master). */
export interface FoundPublicCase {
  asked: { id: string; case_no: string; reported_at: Date };
  row: { id: string; state: CaseStateName; category_code: string | null; closed_at: Date | null };
  categoryName: string | null;
}

/**
 * The authorisation of the public page: number **and** code, a public category (asked and followed case).
 * Every refusal is the same `not_found`.
 */
export async function findPublicCase(
  database: Database,
  caseNo: string,
  code: string,
): Promise<FoundPublicCase> {
  const { db } = database;
  const refused = () => new AppError('not_found', 'No case with this number and follow-up code');
  const asked = await db.selectFrom('cases').select(COLUMNS).where('case_no', '=', caseNo).executeTakeFirst();
  const matches = sameSecret(asked?.follow_up_code ?? NO_CODE, normalizeFollowUpCode(code));
  if (!asked?.follow_up_code || !matches) throw refused();
  let row = asked;
  if (row.merged_into) {
    const master = await db
      .selectFrom('cases')
      .select(COLUMNS)
      .where('id', '=', row.merged_into)
      .executeTakeFirst();
    if (master) row = master;
  }
  const [askedCategory, category] = await Promise.all([
    categoryOf(database, asked.category_code),
    categoryOf(database, row.category_code),
  ]);
  if (!isPublicCategory(askedCategory ?? null) || !isPublicCategory(category ?? null)) throw refused();
  return { asked, row, categoryName: category?.name_zh ?? null };
}

async function presentPublicCase(database: Database, found: FoundPublicCase): Promise<PublicCaseView> {
  const { asked, row } = found;
  const reporter = `${PUBLIC_REPORTER_PREFIX}${asked.id}`;
  const [events, reporters] = await Promise.all([
    database.db
      .selectFrom('case_events')
      .select(['at', 'to_state', 'action', 'actor_user_id', 'payload'])
      .where('case_id', '=', row.id)
      .orderBy('seq')
      .orderBy('id')
      .execute(),
    database.db.selectFrom('cases').select('reporter_ids').where('id', '=', row.id).executeTakeFirst(),
  ]);
  const history: PublicCaseView['history'] = [];
  for (const e of events) {
    const status = PUBLIC_STATUS[e.to_state];
    if (history[history.length - 1]?.status !== status) history.push({ at: e.at.toISOString(), status });
  }
  const rating = events.find((e) => e.action === 'follow_up' && e.actor_user_id === reporter);
  const anonymous = reporters?.reporter_ids.includes(reporter) ?? false;
  return {
    caseNo: asked.case_no,
    status: PUBLIC_STATUS[row.state],
    categoryCode: row.category_code,
    categoryName: found.categoryName,
    reportedAt: asked.reported_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
    history,
    rating: rating ? ratingOf(rating.payload, rating.at) : null,
    canRate: anonymous && !rating && row.state === 'closed',
  };
}

function ratingOf(payload: unknown, at: Date): PublicRating {
  const p = (payload ?? {}) as { satisfaction?: string };
  const satisfaction = SATISFACTIONS.find((s) => s === p.satisfaction) ?? 'satisfied';
  return { satisfaction, at: at.toISOString() };
}

async function categoryOf(database: Database, code: string | null) {
  if (!code) return undefined;
  return database.db
    .selectFrom('categories')
    .select(['name_zh', 'sensitive', 'stability'])
    .where('code', '=', code)
    .executeTakeFirst();
}
