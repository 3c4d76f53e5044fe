import type { Actor } from '../../core/actor.ts';
import { SYSTEM_ACTOR } from '../../core/actor.ts';
import { AppError, refusal } from '../../core/errors.ts';
import { canActOnWarning, canSeeWarning } from '../../core/warnings/access.ts';
import { nextWarningState, type WarningAction } from '../../core/warnings/lifecycle.ts';
import type { Database } from '../../db/database.ts';
import { appendAudit } from '../audit/append-audit.ts';
import { createCase } from '../cases/create-case.ts';
import type { CaseDeps } from '../cases/deps.ts';
import { presentWarning, type WarningView } from './present-warning.ts';

const RULE_LABEL: Record<string, string> = {
  recurrence: '同类案件重复发生预警',
  hotspot: '案件热点预警',
  group_renting: '疑似群租预警',
  unlicensed_business: '疑似无证经营预警',
  illegal_medical: '疑似非法行医预警',
  repeated_disputes: '矛盾纠纷反复预警',
  stability_signal: '不稳定因素苗头预警',
};

export interface WarningActionInput {
  id: string;
  action: WarningAction;
  /** the version the actor saw (optimistic concurrency) */
  version: number;
  /** dismiss: why (required) */
  reason?: string | undefined;
  /** convert: the case category (else the warning's own, else uncategorised for the centre to set) */
  category?: string | null | undefined;
  /** convert: a description (else one is written from the rule) */
  description?: string | undefined;
}

/**
 * A centre acts on a warning: acknowledge (已知悉), dismiss with a reason (排除), or convert it into a
 * case (转立案). Conversion files the case through the ordinary intake as the platform (source
 * 'warning', which is verified on site like a citizen report), with the warning id as idempotency key —
 * so a retry after a failure between the two steps finds the same case, never a second one — then
 * marks the warning converted. Each step writes its warning event and an audit record.
 */
export async function actOnWarning(
  deps: CaseDeps,
  actor: Actor,
  input: WarningActionInput,
): Promise<WarningView> {
  const { db } = deps.database;
  const row = await db.selectFrom('warnings').selectAll().where('id', '=', input.id).executeTakeFirst();
  if (!row || !canSeeWarning(actor, { ownerCode: row.owner_code }))
    throw new AppError('not_found', `No warning ${input.id}`);
  if (!canActOnWarning(actor, { ownerCode: row.owner_code }))
    throw new AppError('forbidden', 'Only the owning centre acts on a warning', { action: input.action });
  const next = nextWarningState(row.state, input.action);
  if (!next)
    throw refusal('conflict', 'warning_not_open', `The warning is ${row.state}`, { state: row.state });
  if (input.action === 'dismiss' && !input.reason?.trim())
    throw new AppError('validation_failed', 'A dismissal needs a reason', {
      problems: [{ path: '/reason', message: 'required' }],
    });
  if (row.version !== input.version)
    throw new AppError('conflict', 'The warning changed meanwhile', { version: row.version });

  let caseId: string | null = null;
  if (input.action === 'convert') {
    const created = await createCase(
      deps,
      SYSTEM_ACTOR,
      {
        source: 'warning',
        category: input.category ?? row.category_code,
        description: input.description?.trim() || describe(row.rule, row.facts),
        location: { lon: row.lon, lat: row.lat },
        addressId: row.address_id,
      },
      { idempotencyKey: `warning:${row.id}` },
    );
    caseId = created.case.id;
  }
  const now = deps.now();
  const view = await stepWarning(deps.database, actor, row.id, input, next, caseId, now);
  // after commit: the centre's other consoles (list, badge, map layer) re-read
  deps.changes.publishWarnings?.([
    {
      warningId: row.id,
      rule: row.rule,
      action: input.action,
      state: next,
      ownerCode: row.owner_code,
      at: now.toISOString(),
    },
  ]);
  return view;
}

async function stepWarning(
  database: Database,
  actor: Actor,
  id: string,
  input: WarningActionInput,
  next: NonNullable<ReturnType<typeof nextWarningState>>,
  caseId: string | null,
  now: Date,
): Promise<WarningView> {
  return database.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('warnings')
      .set((eb) => ({
        state: next,
        updated_at: now,
        version: eb('version', '+', 1),
        ...(input.action === 'acknowledge' ? { acknowledged_at: now, acknowledged_by: actor.userId } : {}),
        ...(input.action === 'dismiss'
          ? { closed_at: now, closed_by: actor.userId, dismiss_reason: input.reason!.trim().slice(0, 500) }
          : {}),
        ...(input.action === 'convert' ? { closed_at: now, closed_by: actor.userId, case_id: caseId } : {}),
      }))
      .where('id', '=', id)
      .where('version', '=', input.version)
      .returningAll()
      .executeTakeFirst();
    if (!updated) throw new AppError('conflict', 'The warning changed meanwhile');
    await trx
      .insertInto('warning_events')
      .values({
        warning_id: id,
        action: input.action,
        actor_id: actor.userId,
        at: now,
        note: input.action === 'dismiss' ? updated.dismiss_reason : caseId,
      })
      .execute();
    await appendAudit(trx, {
      actor,
      action: `warning.${input.action}`,
      target: `warning:${id}`,
      payload: { ...(caseId ? { caseId } : {}), ...(input.reason ? { reason: updated.dismiss_reason } : {}) },
      at: now,
    });
    return presentWarning(updated, actor);
  });
}

function describe(rule: string, facts: Record<string, number | string>): string {
  const figures = Object.entries(facts)
    .map(([k, v]) => `${k}=${v}`)
    .join('，');
  return `${RULE_LABEL[rule] ?? rule}（${figures}）`;
}
