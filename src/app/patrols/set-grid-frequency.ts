import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import { canSetPatrolFrequency } from '../../core/patrol/access.ts';
import type { Database } from '../../db/database.ts';
import { appendAudit } from '../audit/append-audit.ts';

/**
 * Sets a grid's expected patrol frequency (patrolled days per week: 7 daily for key grids, 2 twice a
 * week…; null returns it to the policy's default). Administrators only; audited.
 */
export async function setGridFrequency(
  deps: { database: Database; now: () => Date },
  actor: Actor,
  input: { gridCode: string; daysPerWeek: number | null },
): Promise<{ gridCode: string; daysPerWeek: number | null }> {
  if (!canSetPatrolFrequency(actor))
    throw new AppError('forbidden', 'Only administrators set patrol frequencies', {
      action: 'coverage_frequency',
    });
  const now = deps.now();
  return deps.database.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('regions')
      .set({ patrol_days_per_week: input.daysPerWeek })
      .where('code', '=', input.gridCode)
      .where('level', '=', 'grid')
      .returning(['code', 'patrol_days_per_week'])
      .executeTakeFirst();
    if (!row) throw new AppError('not_found', `No grid ${input.gridCode}`);
    await appendAudit(trx, {
      actor,
      action: 'coverage.frequency_set',
      target: `region:${input.gridCode}`,
      payload: { daysPerWeek: input.daysPerWeek },
      at: now,
    });
    return { gridCode: row.code, daysPerWeek: row.patrol_days_per_week };
  });
}
