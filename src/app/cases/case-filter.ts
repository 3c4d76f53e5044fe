import { sql } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import type { Database } from '../../db/database.ts';
import { applyCaseScope } from '../../db/case-scope.ts';
import type { CaseSource } from '../../db/schema/cases.ts';

/** The workbench filters (the same meaning as the filters of GET /api/v1/cases). */
export interface CaseFilter {
  street?: string | undefined;
  committee?: string | undefined;
  grid?: string | undefined;
  /** 大类 (2 digits) matches all its 小类. */
  category?: string | undefined;
  /** Lead, assisting or linked police department. */
  department?: string | undefined;
  source?: CaseSource[] | undefined;
  /** Words in the description or address, or (part of) the case number. */
  text?: string | undefined;
}

export const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The cases the actor may see (always through the case scope), narrowed by the filter. */
export function scopedCases(database: Database, actor: Actor, f: CaseFilter = {}) {
  let q = applyCaseScope(database.db.selectFrom('cases'), actor);
  if (f.street) q = q.where('cases.street_code', '=', f.street);
  if (f.committee) q = q.where('cases.committee_code', '=', f.committee);
  if (f.grid) q = q.where('cases.grid_code', '=', f.grid);
  if (f.source?.length) q = q.where('cases.source', 'in', f.source);
  if (f.category) {
    const code = f.category;
    q =
      code.length === 2
        ? q.where('cases.category_code', 'like', `${likeEscape(code)}%`)
        : q.where('cases.category_code', '=', code);
  }
  if (f.department) {
    const d = f.department;
    q = q.where(
      sql<boolean>`(cases.lead_department_id = ${d} or cases.assisting_department_ids @> array[${d}::text] or cases.police_department_id = ${d})`,
    );
  }
  if (f.text?.trim()) {
    const pattern = `%${likeEscape(f.text.trim())}%`;
    q = q.where((eb) =>
      eb.or([
        eb('cases.description', 'ilike', pattern),
        eb('cases.address', 'ilike', pattern),
        eb('cases.case_no', 'like', pattern),
        eb('cases.ticket_no', 'ilike', pattern),
      ]),
    );
  }
  return q;
}
