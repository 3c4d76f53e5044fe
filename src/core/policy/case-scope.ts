import type { Actor } from '../actor.ts';

/**
 * The columns of a case that decide who may see it. The `cases` table has them under these names; the
 * SQL twin of this module (src/db/case-scope.ts) reads the same columns.
 */
export interface CaseScopeRow {
  street_code: string | null;
  committee_code: string | null;
  grid_code: string | null;
  owner_level: 'committee' | 'street' | 'district';
  owner_code: string;
  lead_department_id: string | null;
  assisting_department_ids: readonly string[] | null;
  /** The police station covering the case's place (set at intake for every case). */
  police_department_id: string | null;
  /** How the police are linked to the case (the category's linkage): `none` leaves the station out. */
  police_mode: 'none' | 'notify' | 'assist' | 'lead';
  /** The first reporter. */
  reporter_user_id: string | null;
  /** Every reporter, including those of duplicates merged into this case. */
  reporter_ids: readonly string[] | null;
  /** The patroller currently assigned to verify (核实) or check (核查) the case, if any. */
  assignee_user_id: string | null;
  escalated: boolean;
}

/** One way a case can be visible to an actor. A case is in scope when any rule of the scope matches. */
export type ScopeRule =
  | { kind: 'all' }
  | { kind: 'street'; code: string }
  | { kind: 'committee'; code: string }
  | { kind: 'grid'; code: string }
  /** the department leads the case or assists in it */
  | { kind: 'department'; id: string }
  /** the police station covers the case and the police are linked to it (notify, assist, lead) */
  | { kind: 'police_station'; id: string }
  /** the actor reported the case (or a duplicate merged into it) */
  | { kind: 'reporter'; userId: string }
  /** the actor is assigned to verify or check the case */
  | { kind: 'assignee'; userId: string };

export interface CaseScope {
  /** Any rule matching makes a case visible; no rules = nothing visible (fail closed). */
  rules: ScopeRule[];
}

/**
 * Which cases an actor may see (DESIGN §2, "role × territory"). Decisions:
 * - district centre roles (dispatcher, shift lead, leader, admin) and the system: every case;
 * - street sub-centre roles: cases located in their street. Visibility follows the case's territory,
 *   not its current owner, so a case the street escalated to the district stays visible to the street
 *   (it must follow up); acting on it follows ownership (see `actsForOwningCentre`);
 * - committee roles (coordinator, work-station operator): cases in their committee;
 * - patroller: cases in their grid (or committee when bound to one), plus cases assigned to them;
 * - police: cases of their station whose category links the police (notify, assist or lead), and cases
 *   sent to the station (it leads or assists) — not every case in the station's area (issue 11 §5);
 * - department roles: cases where their department leads or assists (a department that returned a
 *   case and is no longer on it stops seeing it);
 * - citizen: their own reports only.
 * Every signed-in actor also sees the cases they reported (merged duplicates included). A role bound to a unit it cannot hold sees
 * nothing beyond its own reports.
 */
export function caseScope(actor: Actor): CaseScope {
  const own: ScopeRule = { kind: 'reporter', userId: actor.userId };
  const { unit } = actor;
  switch (actor.role) {
    case 'system':
      return { rules: [{ kind: 'all' }] };
    case 'admin':
    case 'dispatcher':
    case 'shift_lead':
    case 'leader':
      if (unit.kind !== 'region') return { rules: [own] };
      if (unit.level === 'district') return { rules: [{ kind: 'all' }] };
      if (unit.level === 'street' && actor.role !== 'admin')
        return { rules: [{ kind: 'street', code: unit.code }, own] };
      return { rules: [own] };
    case 'coordinator':
    case 'station_operator':
      if (unit.kind === 'region' && unit.level === 'committee')
        return { rules: [{ kind: 'committee', code: unit.code }, own] };
      return { rules: [own] };
    case 'patroller': {
      const assigned: ScopeRule = { kind: 'assignee', userId: actor.userId };
      if (unit.kind === 'region' && unit.level === 'grid')
        return { rules: [{ kind: 'grid', code: unit.code }, own, assigned] };
      if (unit.kind === 'region' && unit.level === 'committee')
        return { rules: [{ kind: 'committee', code: unit.code }, own, assigned] };
      return { rules: [own, assigned] };
    }
    case 'police':
      if (unit.kind !== 'department') return { rules: [own] };
      return {
        rules: [{ kind: 'police_station', id: unit.id }, { kind: 'department', id: unit.id }, own],
      };
    case 'dept_handler':
    case 'dept_lead':
      if (unit.kind !== 'department') return { rules: [own] };
      return { rules: [{ kind: 'department', id: unit.id }, own] };
    case 'citizen':
      return { rules: [own] };
  }
}

/** Whether one rule matches a case. The SQL twin is `ruleToSql` in src/db/case-scope.ts. */
export function ruleMatches(rule: ScopeRule, row: CaseScopeRow): boolean {
  switch (rule.kind) {
    case 'all':
      return true;
    case 'street':
      return row.street_code === rule.code;
    case 'committee':
      return row.committee_code === rule.code;
    case 'grid':
      return row.grid_code === rule.code;
    case 'department':
      return row.lead_department_id === rule.id || (row.assisting_department_ids ?? []).includes(rule.id);
    case 'police_station':
      return row.police_department_id === rule.id && row.police_mode !== 'none';
    case 'reporter':
      return row.reporter_user_id === rule.userId || (row.reporter_ids ?? []).includes(rule.userId);
    case 'assignee':
      return row.assignee_user_id === rule.userId;
  }
}

/** Whether the actor may see this case: the pure twin of `applyCaseScope` (src/db/case-scope.ts). */
export function isCaseInScope(row: CaseScopeRow, actor: Actor): boolean {
  return caseScope(actor).rules.some((rule) => ruleMatches(rule, row));
}

/** The cases of a batch the actor may see, in their original order. */
export function filterInScope<T extends CaseScopeRow>(rows: readonly T[], actor: Actor): T[] {
  const { rules } = caseScope(actor);
  return rows.filter((row) => rules.some((rule) => ruleMatches(rule, row)));
}

/**
 * Whether the actor works for the centre that currently owns the case (the committee work station, the
 * street sub-centre or the district centre of `owner_level`/`owner_code`). Territorial actions
 * (register, dispatch, close, escalate…) need this on top of visibility; the workflow decides which
 * roles of that centre may take which action.
 */
export function actsForOwningCentre(
  actor: Actor,
  row: Pick<CaseScopeRow, 'owner_level' | 'owner_code'>,
): boolean {
  return (
    actor.unit.kind === 'region' && actor.unit.level === row.owner_level && actor.unit.code === row.owner_code
  );
}
