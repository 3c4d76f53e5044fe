import type { Actor } from '../../core/actor.ts';
import { refuseCitizen } from '../../core/policy/citizen-view.ts';
import { OPEN_STATES } from '../../core/workflow/index.ts';
import type { Database } from '../../db/database.ts';
import { scopedCases, type CaseFilter } from './filters.ts';

export interface QueueCounts {
  /** Cases per state (every state, zeros included). */
  byState: Record<string, number>;
  /** Cases in any open state. */
  open: number;
  /** Open cases whose running clock is past due now. */
  overdue: number;
}

/**
 * The workbench's queue counts: cases per state in the actor's scope under the same filters as the
 * case list, and how many open ones are overdue now. Counts go through the case scope like the list,
 * so a count never reveals a case the list would hide.
 */
export async function countQueues(
  deps: { database: Database; now: () => Date },
  actor: Actor,
  filter: CaseFilter,
): Promise<QueueCounts> {
  // counts by clock (overdue) and by department are the workbench's: a citizen has their list (issue 11 §5)
  refuseCitizen(actor, 'Queue counts');
  const now = deps.now();
  const rows = await scopedCases(deps.database, actor, filter)
    .select(['cases.state'])
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.count<number>('cases.id').filterWhere('cases.due_at', '<', now).as('overdue'),
    ])
    .groupBy('cases.state')
    .execute();
  const byState: Record<string, number> = {};
  let open = 0;
  let overdue = 0;
  for (const s of [...OPEN_STATES, 'closed', 'rejected', 'cancelled']) byState[s] = 0;
  for (const r of rows) {
    byState[r.state] = Number(r.n);
    if ((OPEN_STATES as readonly string[]).includes(r.state)) {
      open += Number(r.n);
      overdue += Number(r.overdue);
    }
  }
  return { byState, open, overdue };
}
