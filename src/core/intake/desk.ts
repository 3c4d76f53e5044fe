import type { Actor, Role } from '../actor.ts';
import type { CaseSource } from '../workflow/snapshot.ts';

/**
 * The intake desk (受理台, issue 11 §1): centre staff who take calls, visits and instructions. A desk
 * belongs to a centre: a street sub-centre's desk (its map opens on its street) or the district centre's.
 */
export const DESK_ROLES: readonly Role[] = ['dispatcher', 'shift_lead'];

/** What the desk records, and the case source each becomes (all of them exist in the workflow). */
export const DESK_SOURCES = [
  'hotline',
  'walk_in',
  'leader',
  'department',
] as const satisfies readonly CaseSource[];
export type DeskSource = (typeof DESK_SOURCES)[number];

export const mayUseDesk = (actor: Pick<Actor, 'role' | 'unit'>): boolean =>
  DESK_ROLES.includes(actor.role) && actor.unit.kind === 'region';

/**
 * Whether the desk may merge its new report into an open case of the same place at once ("merge into
 * this one"). A desk report is owned by the street sub-centre of its location (the workflow's intake), and
 * merging is the owning centre's intake work: only that street's desk can do both in one step. The
 * district desk sees the duplicate, opens it, and records the call as a new case the street merges.
 */
export const mayMergeAtDesk = (actor: Pick<Actor, 'role' | 'unit'>, streetCode: string | null): boolean =>
  mayUseDesk(actor) &&
  streetCode !== null &&
  actor.unit.kind === 'region' &&
  actor.unit.level === 'street' &&
  actor.unit.code === streetCode;
