import type { Actor } from '../actor.ts';
import { actsForOwningCentre, isCaseInScope, type CaseScopeRow } from './case-scope.ts';

/**
 * The public page (市民查询, issue 9 §8): a case is followed by its number *and* its follow-up code
 * (查询码), and never when its category is sensitive.
 */

/**
 * Who may read a case's follow-up code: the person who reported it (the citizen or patroller, or the
 * hotline operator who took the call), and the intake staff of the centre that owns it — the dispatcher,
 * shift lead or work-station operator who reads it out to a caller. Departments and other staff never.
 */
export function canReadFollowUpCode(actor: Actor, row: CaseScopeRow): boolean {
  if (row.reporter_user_id !== null && row.reporter_user_id === actor.userId) return true;
  if (!isCaseInScope(row, actor)) return false;
  switch (actor.role) {
    case 'dispatcher':
    case 'shift_lead':
    case 'station_operator':
      return actsForOwningCentre(actor, row);
    default:
      return false;
  }
}

/**
 * Whether cases of a category may appear on the public page at all: not stability or dispute
 * information (不稳定因素, 矛盾纠纷), nor any category flagged sensitive. A case without a category may.
 */
export const isPublicCategory = (category: { sensitive: boolean; stability: boolean } | null): boolean =>
  category === null || (!category.sensitive && !category.stability);
