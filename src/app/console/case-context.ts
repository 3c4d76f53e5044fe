import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import { isCaseInScope, refuseCitizen } from '../../core/policy/index.ts';
import type { Database } from '../../db/database.ts';
import { loadCase, scopeRowOf } from '../cases/case-record.ts';
import { findDuplicates, type DuplicateSuggestion } from '../cases/find-duplicates.ts';

export interface PoliceNoticeView {
  id: number;
  kind: string;
  /** The police station (or its community officers) the notice went to. */
  recipientName: string | null;
  createdAt: string;
  /** The read receipt: when the first reader opened it, and who. */
  readAt: string | null;
  readByName: string | null;
}

export interface PatrollerView {
  id: string;
  displayName: string;
  username: string;
  unitName: string | null;
}

export interface CaseContext {
  /** Open cases of the same category nearby (DESIGN §4 duplicates), nearest first. */
  duplicates: DuplicateSuggestion[];
  /** Linkage notices (联动通知) sent to police stations about this case, with read receipts. */
  policeNotices: PoliceNoticeView[];
  /** Patrollers who can be sent to verify or check the case (intake staff only): its grid's first. */
  patrollers: PatrollerView[];
}

const INTAKE_ROLES = new Set(['dispatcher', 'shift_lead', 'station_operator', 'admin']);

/**
 * What the case page shows around a case: nearby duplicates, police linkage notices and the patrollers
 * intake may assign. The case must be in the actor's scope (otherwise `not_found`, as for the case
 * itself); duplicates go through the same scope.
 */
export async function getCaseContext(
  deps: { database: Database },
  actor: Actor,
  ref: string,
): Promise<CaseContext> {
  const { db } = deps.database;
  const row = await loadCase(db, ref);
  if (!isCaseInScope(scopeRowOf(row), actor)) throw new AppError('not_found', `No case ${ref}`);
  // police notices with their readers' names, patrollers to send: the console's, never the public view
  refuseCitizen(actor, 'The case console');

  const duplicates = row.category_code
    ? await findDuplicates(db, actor, {
        categoryCode: row.category_code,
        lon: row.lon,
        lat: row.lat,
        excludeId: row.id,
      })
    : [];

  const notices = await db
    .selectFrom('notifications as n')
    .innerJoin('departments as d', 'd.id', 'n.recipient_department_id')
    .leftJoin('users as u', 'u.id', 'n.read_by')
    .select([
      'n.id',
      'n.kind',
      'n.created_at',
      'n.read_at',
      'd.name as department',
      'u.display_name as reader',
    ])
    .where('n.case_id', '=', row.id)
    .where('d.type', '=', 'police')
    .orderBy('n.created_at')
    .orderBy('n.id')
    .execute();

  let patrollers: PatrollerView[] = [];
  if (INTAKE_ROLES.has(actor.role) && row.street_code) {
    const users = await db
      .selectFrom('users as u')
      .leftJoin('regions as r', 'r.code', 'u.unit_code')
      .select(['u.id', 'u.display_name', 'u.username', 'u.unit_code', 'r.name as unit_name'])
      .where('u.role', '=', 'patroller')
      .where('u.disabled', '=', false)
      .where('u.unit_code', 'like', `${row.street_code}%`)
      .orderBy('u.username')
      .limit(200)
      .execute();
    // the case's grid first, then its committee, then the rest of the street
    const rank = (code: string | null) => (code === row.grid_code ? 0 : code === row.committee_code ? 1 : 2);
    patrollers = users
      .sort((a, b) => rank(a.unit_code) - rank(b.unit_code))
      .map((u) => ({ id: u.id, displayName: u.display_name, username: u.username, unitName: u.unit_name }));
  }

  return {
    duplicates,
    policeNotices: notices.map((n) => ({
      id: Number(n.id),
      kind: n.kind,
      recipientName: n.department,
      createdAt: n.created_at.toISOString(),
      readAt: n.read_at?.toISOString() ?? null,
      readByName: n.reader ?? null,
    })),
    patrollers,
  };
}
