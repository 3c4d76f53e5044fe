import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/errors.ts';
import { canSeeWarning, warningStreetsOf } from '../../core/warnings/access.ts';
import type { WarningState } from '../../core/warnings/lifecycle.ts';
import type { WarningRule } from '../../core/warnings/rules.ts';
import type { Database } from '../../db/database.ts';
import { presentWarning, type WarningView } from './present-warning.ts';

export interface WarningFilter {
  state?: WarningState | 'open' | undefined;
  rule?: WarningRule | undefined;
  streetCode?: string | undefined;
  addressId?: string | undefined;
  /** raised at or after / before (ISO) */
  from?: Date | undefined;
  to?: Date | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/** The warnings an actor's centre owns (a district centre: all), newest first, filtered. */
export async function listWarnings(
  deps: { database: Database },
  actor: Actor,
  filter: WarningFilter,
): Promise<{ items: WarningView[]; total: number }> {
  const streets = warningStreetsOf(actor);
  if (streets !== null && streets.length === 0)
    throw new AppError('forbidden', 'Warnings are for the centres', { action: 'warnings' });
  let q = deps.database.db.selectFrom('warnings');
  if (streets !== null) q = q.where('owner_code', 'in', streets);
  if (filter.state === 'open') q = q.where('state', 'in', ['new', 'acknowledged']);
  else if (filter.state) q = q.where('state', '=', filter.state);
  if (filter.rule) q = q.where('rule', '=', filter.rule);
  if (filter.streetCode) q = q.where('street_code', '=', filter.streetCode);
  if (filter.addressId) q = q.where('address_id', '=', filter.addressId);
  if (filter.from) q = q.where('raised_at', '>=', filter.from);
  if (filter.to) q = q.where('raised_at', '<', filter.to);
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy('raised_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 50)
    .offset(filter.offset ?? 0)
    .execute();
  return { items: rows.map((r) => presentWarning(r, actor)), total: Number(total.n) };
}

/** One warning, if the actor's centre owns it (else not_found: its existence is not disclosed). */
export async function getWarning(
  deps: { database: Database },
  actor: Actor,
  id: string,
): Promise<WarningView> {
  const row = await deps.database.db
    .selectFrom('warnings')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row || !canSeeWarning(actor, { ownerCode: row.owner_code }))
    throw new AppError('not_found', `No warning ${id}`);
  return presentWarning(row, actor);
}
