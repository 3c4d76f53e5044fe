import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import { canSetWarningPolicy } from '../../core/warnings/access.ts';
import { parseWarningPolicy, WARNING_POLICY_BOUNDS, type WarningPolicy } from '../../core/warnings/policy.ts';
import type { Database } from '../../db/database.ts';
import { appendAudit } from '../audit/append-audit.ts';
import { loadWarningPolicy } from './warning-policy.ts';

/** Changes some of the rules' parameters (district administrators; audited). Out-of-range values are refused. */
export async function setWarningPolicy(
  deps: { database: Database; now: () => Date },
  actor: Actor,
  changes: Partial<WarningPolicy>,
): Promise<WarningPolicy> {
  if (!canSetWarningPolicy(actor))
    throw new AppError('forbidden', 'Only administrators change the warning rules', {
      action: 'warning_policy',
    });
  const problems = Object.entries(changes).flatMap(([key, value]) => {
    const bounds = WARNING_POLICY_BOUNDS[key as keyof WarningPolicy];
    if (!bounds) return [{ path: `/${key}`, message: 'unknown parameter' }];
    return typeof value === 'number' && Number.isFinite(value) && value >= bounds[0] && value <= bounds[1]
      ? []
      : [{ path: `/${key}`, message: `between ${bounds[0]} and ${bounds[1]}` }];
  });
  if (problems.length > 0)
    throw new AppError('validation_failed', 'Invalid warning parameters', { problems });
  const now = deps.now();
  return deps.database.db.transaction().execute(async (trx) => {
    const policy = parseWarningPolicy({ ...(await loadWarningPolicy(trx)), ...changes });
    await trx
      .insertInto('app_settings')
      .values({ key: 'warning_policy', value: JSON.stringify(policy) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(policy), updated_at: now }))
      .execute();
    await appendAudit(trx, {
      actor,
      action: 'warning.policy_set',
      target: 'app_settings:warning_policy',
      payload: { ...changes },
      at: now,
    });
    return policy;
  });
}
