import type { Kysely } from 'kysely';
import type { Actor } from '../../core/actor.ts';
import {
  DEFAULT_FOLLOW_UP_DAYS,
  DEFAULT_SETTINGS,
  INDICATOR_BY_ID,
  MAX_FOLLOW_UP_DAYS,
  weightProblems,
  UNIT_KINDS,
  canEditEvaluationSettings,
  type EvaluationSettings,
  type IndicatorId,
  type UnitKind,
} from '../../core/evaluation/index.ts';
import { AppError } from '../../core/errors.ts';
import type { DB } from '../../db/schema/index.ts';
import { appendAudit } from '../audit/append-audit.ts';

/** The app_settings key of the evaluation weights and small-sample threshold. */
export const EVALUATION_SETTINGS_KEY = 'evaluation';

/** Keeps what is valid of a stored value (an admin's edit, or a hand-edited row) and defaults the rest. */
export function normaliseSettings(value: unknown): EvaluationSettings {
  const v = (value ?? {}) as { weights?: unknown; minDenominator?: unknown; followUpDays?: unknown };
  const weights: EvaluationSettings['weights'] = {};
  if (v.weights && typeof v.weights === 'object') {
    for (const [kind, byId] of Object.entries(v.weights as Record<string, unknown>)) {
      if (!(UNIT_KINDS as readonly string[]).includes(kind) || !byId || typeof byId !== 'object') continue;
      const out: Partial<Record<IndicatorId, number>> = {};
      for (const [id, w] of Object.entries(byId as Record<string, unknown>)) {
        const def = INDICATOR_BY_ID[id as IndicatorId];
        if (!def || !def.kinds.includes(kind as UnitKind)) continue;
        if (typeof w === 'number' && Number.isFinite(w) && w >= 0 && w <= 1000) out[id as IndicatorId] = w;
      }
      weights[kind as UnitKind] = out;
    }
  }
  const m = v.minDenominator;
  const minDenominator =
    typeof m === 'number' && Number.isInteger(m) && m >= 1 && m <= 100_000
      ? m
      : DEFAULT_SETTINGS.minDenominator;
  const d = v.followUpDays;
  const followUpDays =
    typeof d === 'number' && Number.isInteger(d) && d >= 1 && d <= MAX_FOLLOW_UP_DAYS
      ? d
      : DEFAULT_FOLLOW_UP_DAYS;
  return { weights, minDenominator, followUpDays };
}

export async function readEvaluationSettings(db: Kysely<DB>): Promise<EvaluationSettings> {
  const row = await db
    .selectFrom('app_settings')
    .select('value')
    .where('key', '=', EVALUATION_SETTINGS_KEY)
    .executeTakeFirst();
  return normaliseSettings(row?.value);
}

/**
 * Replaces the evaluation settings (district admins), audited with the old and new values. Refused: a
 * weight for an indicator the kind does not have, a weight outside 0–100, a kind whose weights in force
 * (given + defaults) do not add up to 100, a follow-up delay outside 1–30 working days.
 */
export async function updateEvaluationSettings(
  deps: { db: Kysely<DB>; now: () => Date },
  actor: Actor,
  input: EvaluationSettings,
  client: { address?: string | null } = {},
): Promise<EvaluationSettings> {
  if (!canEditEvaluationSettings(actor))
    throw new AppError('forbidden', 'Only administrators edit the evaluation');
  const problems = weightProblems(input);
  const days = input.followUpDays;
  if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= MAX_FOLLOW_UP_DAYS)) {
    problems.push({ path: '/followUpDays', message: `between 1 and ${MAX_FOLLOW_UP_DAYS} working days` });
  }
  if (problems.length) throw new AppError('validation_failed', 'Invalid evaluation settings', { problems });
  const next = normaliseSettings(input);
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('app_settings')
      .select('value')
      .where('key', '=', EVALUATION_SETTINGS_KEY)
      .forUpdate()
      .executeTakeFirst();
    await trx
      .insertInto('app_settings')
      .values({ key: EVALUATION_SETTINGS_KEY, value: JSON.stringify(next), updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(next), updated_at: now }))
      .execute();
    await appendAudit(trx, {
      actor,
      action: 'evaluation.settings',
      target: `settings:${EVALUATION_SETTINGS_KEY}`,
      address: client.address ?? null,
      payload: { before: before ? normaliseSettings(before.value) : null, after: next },
      at: now,
    });
  });
  return next;
}
