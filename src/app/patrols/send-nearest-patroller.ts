import type { Actor } from '../../core/actor.ts';
import { AppError, refusal } from '../../core/errors.ts';
import { nearestPatrollers } from '../../core/patrol/nearest.ts';
import { isCaseInScope } from '../../core/policy/case-scope.ts';
import { loadCase, scopeRowOf } from '../cases/case-record.ts';
import type { CaseDeps } from '../cases/deps.ts';
import { performCaseAction, type CaseActionResult } from '../cases/perform-case-action.ts';

/** A position older than this says nothing about where the patroller is now. */
export const NEAREST_MAX_AGE_MS = 15 * 60_000;

export interface NearestResult extends CaseActionResult {
  patroller: { userId: string; name: string; distanceM: number; ageS: number };
}

/**
 * 派最近的巡管员核实: picks the on-duty patroller of the case's street nearest to it (by the last
 * position of their open patrol, fresher than NEAREST_MAX_AGE_MS) and performs the workflow's own
 * `request_verification` with them — the same action, rules and notifications as choosing by hand.
 */
export async function sendNearestPatroller(
  deps: CaseDeps,
  actor: Actor,
  input: { caseRef: string; version: number; note?: string | undefined },
): Promise<NearestResult> {
  const { db } = deps.database;
  const row = await loadCase(db, input.caseRef);
  if (!isCaseInScope(scopeRowOf(row), actor)) throw new AppError('not_found', `No case ${input.caseRef}`);
  if (!row.street_code) throw refusal('unprocessable', 'no_patroller_on_duty', 'The case has no street');
  const onDuty = await db
    .selectFrom('patrols as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['p.id', 'p.user_id', 'p.last_lon', 'p.last_lat', 'p.last_at', 'u.display_name'])
    .where('p.ended_at', 'is', null)
    .where('p.street_code', '=', row.street_code)
    .where('u.role', '=', 'patroller')
    .where('u.disabled', '=', false)
    .where('p.last_at', 'is not', null)
    .execute();
  const now = deps.now();
  const ranked = nearestPatrollers(
    { lon: row.lon, lat: row.lat },
    onDuty.map((p) => ({
      userId: p.user_id,
      patrolId: p.id,
      lon: p.last_lon!,
      lat: p.last_lat!,
      at: p.last_at!,
    })),
    now,
    NEAREST_MAX_AGE_MS,
  );
  const chosen = ranked[0];
  if (!chosen) {
    throw refusal(
      'unprocessable',
      'no_patroller_on_duty',
      'Nobody of the street is on patrol with a fresh position',
    );
  }
  const result = await performCaseAction(deps, actor, {
    caseRef: input.caseRef,
    action: 'request_verification',
    version: input.version,
    payload: { patrollerId: chosen.userId, ...(input.note ? { note: input.note } : {}) },
  });
  const name = onDuty.find((p) => p.user_id === chosen.userId)?.display_name ?? '';
  return {
    ...result,
    patroller: { userId: chosen.userId, name, distanceM: chosen.distanceM, ageS: chosen.ageS },
  };
}
